#!/usr/bin/env node
// Writes CHANGELOG.md: what the pending changesets (.changeset/*.md) will release, package by
// package, as `changeset version` words it. It runs `changeset version` in a throwaway clone, so
// this checkout's versions and changesets stay as they are until the release itself.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "herald-changelog-"));
try {
  execFileSync("git", ["clone", "-q", "--no-hardlinks", root, scratch]);
  // Changesets not committed yet count too.
  for (const name of readdirSync(join(root, ".changeset")))
    writeFileSync(join(scratch, ".changeset", name), readFileSync(join(root, ".changeset", name)));
  symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"));
  execFileSync(join(root, "node_modules", ".bin", "changeset"), ["version"], { cwd: scratch, stdio: "ignore" });
  const sections = [];
  for (const group of ["packages", "integrations"])
    for (const name of readdirSync(join(scratch, group)).sort()) {
      const file = join(scratch, group, name, "CHANGELOG.md");
      if (!existsSync(file)) continue;
      // "# @herald/sdk\n\n## 0.2.0\n\n### Minor Changes\n…": one section per package.
      const text = readFileSync(file, "utf8")
        .replace(/^# (.+)\n\n## (.+)\n/, "## $1 $2\n")
        .replace(/^###/gm, "###");
      sections.push(text.trim());
    }
  writeFileSync(
    join(root, "CHANGELOG.md"),
    `# Changelog\n\nWhat the next release brings, package by package, from the changesets in \`.changeset/\`\n(\`npm run changelog\` rewrites this file; \`npm run changeset\` adds one). Breaking changes come\nonly with a new major version and are marked **Breaking** in their entry.\n\n${sections.join("\n\n")}\n`,
  );
  // In the house format, so the lint stays green after a rewrite.
  execFileSync(join(root, "node_modules", ".bin", "biome"), ["format", "--write", "CHANGELOG.md"], {
    cwd: root,
    stdio: "ignore",
  });
  console.log(`wrote CHANGELOG.md: ${sections.length} packages`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
