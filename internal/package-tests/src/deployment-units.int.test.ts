import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appAvailable, repoRoot } from "@herald/test-support";
import { describe, expect, it } from "vitest";

// The systemd units docs/deployment.md installs, checked by systemd itself.
const unitsDir = join(repoRoot, "deploy", "systemd");
const units = readdirSync(unitsDir).filter((name) => name.endsWith(".service"));
const herald = join(repoRoot, "packages", "cli", "bin", "herald.js");

describe.skipIf(!appAvailable("systemd"))("the systemd units of docs/deployment.md", () => {
  it("has one for each service", () => {
    expect(units.sort()).toEqual(
      ["bridge", "gateway", "hub", "relay", "store"].map((service) => `herald-${service}.service`),
    );
  });

  it.each(units)("%s passes systemd-analyze verify and runs a herald command that exists", (unit) => {
    const text = readFileSync(join(unitsDir, unit), "utf8");
    const command = /^ExecStart=\/usr\/local\/bin\/herald (\S+) --config \/etc\/herald\/herald\.toml$/m.exec(text)?.[1];
    expect(command).toBe(unit.replace(/^herald-|\.service$/g, ""));
    // Verified where the command exists: the installed path becomes this checkout's.
    const dir = mkdtempSync(join(tmpdir(), "herald-units-"));
    writeFileSync(join(dir, unit), text.replaceAll("/usr/local/bin/herald", herald));
    const verified = spawnSync("systemd-analyze", ["verify", "--man=no", join(dir, unit)], { encoding: "utf8" });
    expect([verified.status, verified.stderr]).toEqual([0, ""]);
    expect(text).toMatch(/^User=herald$/m);
    expect(text).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    const help = execFileSync(process.execPath, [herald, command as string, "--help"], { encoding: "utf8" });
    expect(help).toContain("--config");
  });

  it("creates the herald user with systemd-sysusers' syntax", () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-sysusers-"));
    const checked = spawnSync(
      "systemd-sysusers",
      ["--dry-run", `--root=${dir}`, join(unitsDir, "herald.sysusers.conf")],
      { encoding: "utf8" },
    );
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stderr + checked.stdout).toMatch(/herald/);
  });
});
