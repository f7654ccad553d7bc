import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packWorkspaces, workspacePackages } from "./pack-install.js";

const names = [...workspacePackages().keys()];

/** The files an `exports` or `bin` field points at (patterns left out). */
function targetsOf(value: unknown): string[] {
  if (typeof value === "string") return value.startsWith("./") && !value.includes("*") ? [value] : [];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(targetsOf);
}

describe("every public package's tarball", () => {
  const tarballs = packWorkspaces(names);

  it.each(names)("%s holds its LICENSE, README and build, and says where it comes from", (name) => {
    const tarball = tarballs.get(name) as string;
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    expect(files).toEqual(expect.arrayContaining(["package/LICENSE", "package/README.md", "package/package.json"]));
    // No test or fixture is published.
    expect(files.filter((file) => /\.test\.|_test-/.test(file))).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "herald-manifest-"));
    execFileSync("tar", ["-xzf", tarball, "-C", dir, "package/package.json"]);
    const manifest = JSON.parse(execFileSync("cat", [join(dir, "package/package.json")], { encoding: "utf8" }));
    expect(manifest).toMatchObject({ license: "MIT", engines: { node: ">=20.11" }, repository: { type: "git" } });
    // What the manifest points at is in the tarball (a PHP extension has no JavaScript at all).
    for (const target of targetsOf([manifest.exports, manifest.bin]))
      expect(files).toContain(`package/${target.slice(2)}`);
    const siblings = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(([dependency]) =>
      dependency.startsWith("@herald/"),
    );
    for (const [dependency, range] of siblings)
      expect([dependency, range]).toEqual([dependency, expect.stringMatching(/^\^/)]);
  });
});
