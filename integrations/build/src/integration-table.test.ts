import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@herald/test-support";
import { expect, it } from "vitest";

it("docs/integrations.md is the table the integrations' package metadata gives (npm run docs:integrations)", async () => {
  const { integrationTable } = (await import(join(repoRoot, "scripts", "integration-table.js"))) as {
    integrationTable(): string;
  };
  expect(readFileSync(join(repoRoot, "docs", "integrations.md"), "utf8")).toBe(integrationTable());
});
