import { catalogue as topics } from "@herald/schemas";
import { withConfig } from "../../cli-options.js";
import { configFor } from "../../config-flag.js";
import { defineCommand } from "../../define-command.js";
import { type CommandIo, colorsFor } from "../../io.js";
import { schemaCatalogueFor } from "../../schema-catalogue.js";

/**
 * `herald schema list`: every schema the project knows — the built-in catalogue, its schema
 * packages and its `schemas` folders — with its versions and where it comes from.
 */
export async function runSchemaList(options: { json?: boolean; config?: string }, io: CommandIo): Promise<void> {
  const byName = new Map<
    string,
    { name: string; app: string; versions: string[]; description: string; emittedBy: string; source: string }
  >();
  const catalogue = schemaCatalogueFor(configFor(options, io), io);
  const builtIn = new Map(topics.map((topic) => [`${topic.name} ${topic.version}`, topic]));
  for (const entry of catalogue.entries) {
    const topic = builtIn.get(`${entry.name} ${entry.version}`);
    const description = topic?.description ?? (entry.document as { description?: string }).description ?? "";
    const row = byName.get(entry.name) ?? {
      name: entry.name,
      app: entry.name.split(".")[0] as string,
      versions: [],
      description,
      emittedBy: topic?.emittedBy ?? "",
      source: catalogue.origins.get(`${entry.name} ${entry.version}`)?.name ?? "@herald/schemas",
    };
    row.versions.push(entry.version);
    row.description = description;
    byName.set(entry.name, row);
  }
  for (const row of byName.values()) row.versions.sort((a, b) => compareVersions(a, b));
  const rows = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  if (options.json) {
    io.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  const colors = colorsFor(io.stdout, io.env);
  const width = Math.max(...rows.map((row) => row.name.length));
  for (const row of rows) {
    io.stdout.write(
      `${colors.cyan(row.name.padEnd(width))}  ${row.versions.join(", ").padEnd(8)}  ${row.description}\n`,
    );
  }
}

/** `herald schema list`: its arguments and flags, beside the function that runs it. */
export const schemaListCommand = defineCommand({
  configure: (command) => withConfig(command.option("--json", "print as JSON")),
  action: (io) => (options) => runSchemaList(options, io),
});

function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}
