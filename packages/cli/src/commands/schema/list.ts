import { catalogue } from "@herald/schemas";
import { defineCommand } from "../../define-command.js";
import { type CommandIo, colorsFor } from "../../io.js";

/** `herald schema list`: every schema of the built-in registry with its versions. */
export async function runSchemaList(options: { json?: boolean }, io: CommandIo): Promise<void> {
  const byName = new Map<
    string,
    { name: string; app: string; versions: string[]; description: string; emittedBy: string }
  >();
  for (const topic of catalogue) {
    const row = byName.get(topic.name) ?? {
      name: topic.name,
      app: topic.app,
      versions: [],
      description: topic.description,
      emittedBy: topic.emittedBy,
    };
    row.versions.push(topic.version);
    row.description = topic.description;
    byName.set(topic.name, row);
  }
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
  configure: (command) => command.option("--json", "print as JSON"),
  action: (io) => (options) => runSchemaList(options, io),
});
