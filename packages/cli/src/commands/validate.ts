import { accessSync, constants, createReadStream } from "node:fs";
import { resolve } from "node:path";
import type { DataProblem, SchemaRegistry } from "@herald/sdk";
import { CliError } from "../cli-error.js";
import { collect, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, createBatchedWriter, readLines } from "../io.js";
import { readJsonText } from "../read-json-file.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";

/**
 * `herald validate [--schemas DIR]… [--json] [FILE|-]`: checks each envelope's data against the
 * schema its `dataschema` names; prints `ok` or `invalid <json path> <reason>` (every problem,
 * separated by `; `) per line, or with `--json` one object per line naming the line number, the
 * envelope's id and every problem; exit 0 only if all are valid, 1 when some are not, 2 when the
 * input cannot be read. What an app's CI runs over its recorded messages.
 */
export async function runValidate(
  file: string | undefined,
  options: { schemas?: string[]; config?: string; json?: boolean },
  io: CommandIo,
): Promise<void> {
  const { registry } = schemaCatalogueFor(configFor(options, io), io, options.schemas ?? []);
  const input = file === undefined || file === "-" ? io.stdin : openInput(resolve(io.cwd, file));
  const out = createBatchedWriter(io.stdout);
  const invalidLines: number[] = [];
  let total = 0;
  for await (const { line } of readLines(input)) {
    total++;
    const verdict = judge(line, registry);
    if (verdict.problems.length > 0) invalidLines.push(total);
    out.write(`${options.json ? JSON.stringify(asJson(total, verdict)) : asText(verdict)}\n`);
  }
  await out.flush();
  if (invalidLines.length > 0) {
    const shown = invalidLines.slice(0, 10).join(", ");
    const more = invalidLines.length > 10 ? `, and ${invalidLines.length - 10} more` : "";
    throw new CliError(
      "E_FAILED",
      `${invalidLines.length} of ${total} messages are invalid (line${invalidLines.length > 1 ? "s" : ""} ${shown}${more})`,
    );
  }
}

/** What one input line came to: its id and dataschema when it has them, and its problems. */
interface Verdict {
  id?: string;
  dataschema?: string;
  problems: DataProblem[];
}

const problemAt = (path: string, rule: string, message: string): DataProblem => ({ path, rule, message });

function judge(line: string, registry: SchemaRegistry): Verdict {
  const reading = readJsonText(line);
  if (!reading.ok) return { problems: [problemAt("$", "json", reading.problem)] };
  const envelope = reading.value as { id?: unknown; dataschema?: unknown; data?: unknown };
  if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope))
    return { problems: [problemAt("$", "envelope", "not an envelope")] };
  const id = typeof envelope.id === "string" ? { id: envelope.id } : {};
  if (typeof envelope.dataschema !== "string")
    return { ...id, problems: [problemAt("$.dataschema", "required", "missing")] };
  const dataschema = envelope.dataschema;
  const lookup = registry.lookup(dataschema);
  if (lookup.status !== "found")
    return {
      ...id,
      dataschema,
      problems: [problemAt("$.dataschema", lookup.status, `${lookup.status} ${dataschema}`)],
    };
  const check = lookup.schema.check(envelope.data);
  if (check.ok) return { ...id, dataschema, problems: [] };
  const inData = (problem: DataProblem) => ({ ...problem, path: problem.path.replace(/^\$/, "$.data") });
  return { ...id, dataschema, problems: (check.problems ?? [check]).map(inData) };
}

function asText(verdict: Verdict): string {
  if (verdict.problems.length === 0) return "ok";
  return `invalid ${verdict.problems.map((problem) => `${problem.path} ${problem.message}`).join("; ")}`;
}

function asJson(line: number, verdict: Verdict) {
  const { problems, ...named } = verdict;
  return problems.length === 0 ? { line, ...named, valid: true } : { line, ...named, valid: false, errors: problems };
}

function openInput(file: string): NodeJS.ReadableStream {
  try {
    accessSync(file, constants.R_OK);
  } catch (cause) {
    throw new CliError("E_IO", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  return createReadStream(file);
}

/** `herald validate`: its arguments and flags, beside the function that runs it. */
export const validateCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .argument("[file]", "NDJSON file, or - for stdin (default)")
        .option("--json", "one JSON object per line: line number, id, dataschema, valid, errors")
        .option(
          "--schemas <dir>",
          "more JSON Schema files, laid out as <name>/<major>.<minor>.json (repeatable; added to the built-in catalogue, the project's schema packages and the configuration's schemas)",
          collect,
        ),
    ),
  action: (io) => (file, options) => runValidate(file, options, io),
});
