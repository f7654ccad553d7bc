import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "@herald/test-support";

/** The workspace folders of public packages, by package name. */
export function workspacePackages(): Map<string, string> {
  const found = new Map<string, string>();
  for (const group of ["packages", "integrations"])
    for (const name of readdirSync(join(repoRoot, group))) {
      const dir = join(repoRoot, group, name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name: string;
        private?: boolean;
      };
      if (manifest.private !== true) found.set(manifest.name, dir);
    }
  return found;
}

/**
 * Packs workspace packages with `npm pack` (as `npm publish` would send them) into a fresh folder
 * and returns each tarball's path, by package name.
 */
export function packWorkspaces(names: readonly string[]): Map<string, string> {
  const out = mkdtempSync(join(tmpdir(), "herald-pack-"));
  const dirs = workspacePackages();
  const tarballs = new Map<string, string>();
  for (const name of names) {
    const dir = dirs.get(name);
    if (dir === undefined) throw new Error(`no workspace package named ${name}`);
    const printed = execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [{ filename }] = JSON.parse(printed) as [{ filename: string }];
    tarballs.set(name, join(out, filename));
  }
  return tarballs;
}

/**
 * A new project outside the repository with the tarballs installed by `npm install` (registry
 * packages from the npm cache where they are there), as a user's service would install them.
 */
export function installTarballs(tarballs: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "herald-install-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "service", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return dir;
}

/** Every package folder under a project's node_modules (scoped ones included). */
export function installedPackages(project: string): string[] {
  const root = join(project, "node_modules");
  return readdirSync(root).flatMap((name) =>
    name.startsWith("@")
      ? readdirSync(join(root, name)).map((inner) => `${name}/${inner}`)
      : name.startsWith(".")
        ? []
        : [name],
  );
}
