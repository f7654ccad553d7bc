import { diffSchemas } from "@herald/codegen";
import { CliError } from "../../cli-error.js";
import { defineCommand } from "../../define-command.js";
import { type CommandIo, colorsFor } from "../../io.js";
import { readJsonFile } from "../../read-json-file.js";

/**
 * `herald schema diff OLD.json NEW.json`: each change with its JSON path, rule and verdict. Exits 0
 * when the change is allowed in a minor version, 1 when it needs a new major.
 */
export async function runSchemaDiff(
  oldFile: string,
  newFile: string,
  options: { json?: boolean },
  io: CommandIo,
): Promise<void> {
  const diff = diffSchemas(readJsonFile(oldFile), readJsonFile(newFile));
  if (options.json) {
    const changes = diff.changes.map(({ path, rule, breaking }) => ({ path, rule, breaking }));
    io.stdout.write(`${JSON.stringify({ compatible: diff.compatible, changes })}\n`);
  } else {
    const colors = colorsFor(io.stdout, io.env);
    for (const change of diff.changes) {
      const verdict = change.breaking ? colors.red("breaking") : colors.green("allowed ");
      io.stdout.write(`${verdict}  ${change.path}  ${change.rule}: ${change.detail}\n`);
    }
    io.stdout.write(
      diff.compatible
        ? "compatible: a minor version may make this change\n"
        : "not compatible: this change needs a new major version\n",
    );
  }
  if (!diff.compatible) throw new CliError("E_FAILED", "the change needs a new major version");
}

/** `herald schema diff`: its arguments and flags, beside the function that runs it. */
export const schemaDiffCommand = defineCommand({
  configure: (command) =>
    command
      .argument("<old>", "the old JSON Schema file")
      .argument("<new>", "the new JSON Schema file")
      .option("--json", 'print {"compatible", "changes": [{"path", "rule", "breaking"}]}'),
  action: (io) => (oldFile, newFile, options) => runSchemaDiff(oldFile, newFile, options, io),
});
