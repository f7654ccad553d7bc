import { heraldVitestConfig } from "@herald/test-support/vitest";

export default heraldVitestConfig;
