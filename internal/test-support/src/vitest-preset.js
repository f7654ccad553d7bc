// Plain JavaScript: vitest loads its config files with Node, which cannot import TypeScript from a package.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

const quick = process.env.HERALD_QUICK === "1";
// Each run keeps Herald's state (default spools, relays' replay files, default stores) in a folder
// of its own, never in the user's ~/.local/state, and never shared with an earlier run.
const stateHome = mkdtempSync(join(tmpdir(), "herald-test-state-"));

/**
 * The vitest configuration of every package. Integration tests (`*.int.test.ts`: real sockets,
 * processes and apps) are left out only when HERALD_QUICK=1; CI runs them all.
 */
export const heraldVitestConfig = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", ...(quick ? ["**/*.int.test.ts"] : [])],
    // A package whose tests are all integration tests has none to run in a quick run.
    passWithNoTests: quick,
    env: { XDG_STATE_HOME: stateHome },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
