// Writes docs/integrations.md from the integrations' own package metadata (the "herald" field of
// each integrations/*/package.json): `npm run docs:integrations`. A test fails when it is stale.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The markdown of the integration status table. */
export function integrationTable() {
  const rows = readdirSync(join(root, "integrations"))
    .sort()
    .map((folder) => JSON.parse(readFileSync(join(root, "integrations", folder, "package.json"), "utf8")))
    .filter((pkg) => pkg.herald !== undefined)
    .map(
      (pkg) =>
        `| ${pkg.herald.app} | \`${pkg.name}\` | ${pkg.herald.topics.map((t) => `\`${t}\``).join(", ")} | \`${pkg.herald.install}\` | ${pkg.herald.tested} |`,
    );
  return [
    "# Integrations",
    "",
    "Generated from each integration's `package.json` (`npm run docs:integrations`): do not edit by hand.",
    "",
    "| app | package | topics | installed with | tested against |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(root, "docs", "integrations.md"), integrationTable());
  process.stderr.write("wrote docs/integrations.md\n");
}
