import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { installTarballs, packWorkspaces, workspacePackages } from "./pack-install.js";

// The command as an operator installs it from a release (docs/deployment.md): every public package
// packed, installed into a folder outside the repository, run from there; and a hub consumer in a
// project of its own, with its own @herald/hub.

const consumerSource = `import { defineConsumer } from "@herald/hub";
export default defineConsumer({
  name: "welcome",
  topics: ["account.user.create"],
  async handle() {},
});
`;

describe("herald installed from the packed tarballs, outside the repository", () => {
  const tarballs = [...packWorkspaces([...workspacePackages().keys()]).values()];
  const install = installTarballs(tarballs);
  const herald = join(install, "node_modules", ".bin", "herald");
  const run = (args: string[], cwd: string) =>
    spawnSync(herald, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

  it("runs as node_modules/.bin/herald and through npx, and makes a key", () => {
    const version = run(["--version"], install);
    expect([version.status, version.stdout]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+\n$/)]);
    const npx = spawnSync("npx", ["--no-install", "herald", "--help"], { cwd: install, encoding: "utf8" });
    expect(npx.status, npx.stderr).toBe(0);
    expect(npx.stdout).toContain("Usage: herald");
    const keys = mkdtempSync(join(tmpdir(), "herald-keys-"));
    const keygen = run(["keygen", "app.host01", "--dir", keys, "--trust", join(keys, "trust.json")], keys);
    expect(keygen.status, keygen.stderr).toBe(0);
  });

  // A consumer's own project: @herald/hub and what it needs, nothing of the command.
  const project = installTarballs(
    tarballs.filter((tarball) => /herald-(hub|sdk|schemas|ops|sql|transport-)/.test(tarball)),
  );
  it("checks a consumer against the @herald/hub of the consumer's own project", () => {
    writeFileSync(join(project, "consumer.js"), consumerSource);
    const checked = run(["consumer", "check", join(project, "consumer.js")], project);
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^pass exports a consumer: welcome$/m);
    expect(checked.stdout).not.toMatch(/^fail /m);
    // Without @herald/hub in its project: one line saying where to install it.
    const bare = mkdtempSync(join(tmpdir(), "herald-bare-consumer-"));
    writeFileSync(join(bare, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(bare, "consumer.js"), consumerSource);
    const refused = run(["consumer", "check", join(bare, "consumer.js")], bare);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^herald: .*consumer\.js: cannot be loaded: Cannot find package '@herald\/hub'.*; the consumer's project needs it: npm install @herald\/hub there\n$/,
    );
  });
});
