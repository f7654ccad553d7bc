import { accessSync, constants, createReadStream } from "node:fs";
import { resolve } from "node:path";
import type { SchemaRegistry } from "@herald/sdk";
import { CliError } from "../cli-error.js";
import { collect, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, createBatchedWriter, readLines } from "../io.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";

/**
 * `herald validate [--schemas DIR]… [FILE|-]`: checks each envelope's data against the schema its
 * `dataschema` names; prints `ok` or `invalid <json path> <reason>` per line, exit 0 only if all
 * are valid. What an app's CI runs over its recorded messages.
 */
export async function runValidate(
  file: string | undefined,
  options: { schemas?: string[]; config?: string },
  io: CommandIo,
): Promise<void> {
  const { registry } = schemaCatalogueFor(configFor(options, io), io, options.schemas ?? []);
  const input = file === undefined || file === "-" ? io.stdin : openInput(resolve(io.cwd, file));
  const out = createBatchedWriter(io.stdout);
  let invalid = 0;
  let total = 0;
  for await (const { line } of readLines(input)) {
    total++;
    const verdict = judge(line, registry);
    if (verdict !== "ok") invalid++;
    out.write(`${verdict}\n`);
  }
  await out.flush();
  if (invalid > 0) throw new CliError("E_FAILED", `${invalid} of ${total} messages are invalid`);
}

function judge(line: string, registry: SchemaRegistry): string {
  let envelope: { dataschema?: unknown; data?: unknown };
  try {
    envelope = JSON.parse(line) as typeof envelope;
  } catch {
    return "invalid $ not JSON";
  }
  if (typeof envelope !== "object" || envelope === null) return "invalid $ not an envelope";
  if (typeof envelope.dataschema !== "string") return "invalid $.dataschema missing";
  const lookup = registry.lookup(envelope.dataschema);
  if (lookup.status !== "found") return `invalid $.dataschema ${lookup.status} ${envelope.dataschema}`;
  const check = lookup.schema.check(envelope.data);
  return check.ok ? "ok" : `invalid ${check.path.replace(/^\$/, "$.data")} ${check.message}`;
}

function openInput(file: string): NodeJS.ReadableStream {
  try {
    accessSync(file, constants.R_OK);
  } catch (cause) {
    throw new CliError("E_INPUT", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  return createReadStream(file);
}

/** `herald validate`: its arguments and flags, beside the function that runs it. */
export const validateCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .argument("[file]", "NDJSON file, or - for stdin (default)")
        .option(
          "--schemas <dir>",
          "more JSON Schema files, laid out as <name>/<major>.<minor>.json (repeatable; added to the built-in catalogue, the project's schema packages and the configuration's schemas)",
          collect,
        ),
    ),
  action: (io) => (file, options) => runValidate(file, options, io),
});
