import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { generateTypes } from "@herald/codegen";
import { loadSchemaDirectory } from "@herald/schemas";
import { makeDirectory } from "@herald/sdk/internal";
import { CliError } from "../cli-error.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";

/**
 * `herald codegen --schemas DIR --out FILE [--check]`: TypeScript types from JSON Schema files laid
 * out as `<name>/<major>.<minor>.json`. `--check` writes nothing and exits 1 when FILE is stale.
 */
export async function runCodegen(
  options: { schemas: string; out: string; check?: boolean },
  io: CommandIo,
): Promise<void> {
  const entries = loadSchemaDirectory(resolve(io.cwd, options.schemas));
  if (entries.length === 0) throw new CliError("E_INPUT", `${options.schemas}: no <name>/<major>.<minor>.json files`);
  const source = await generateTypes(entries);
  const out = resolve(io.cwd, options.out);
  if (options.check) {
    let current = "";
    try {
      current = readFileSync(out, "utf8");
    } catch {
      // A missing file is stale too.
    }
    if (current !== source)
      throw new CliError(
        "E_FAILED",
        `${options.out} is stale: run herald codegen --schemas ${options.schemas} --out ${options.out}`,
      );
    io.stdout.write(`${options.out} is up to date\n`);
    return;
  }
  try {
    makeDirectory(dirname(out));
    writeFileSync(out, source);
  } catch (cause) {
    throw new CliError("E_USAGE", `cannot write ${options.out}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  io.stdout.write(`wrote ${options.out}: ${entries.length} schema versions\n`);
}

/** `herald codegen`: its arguments and flags, beside the function that runs it. */
export const codegenCommand = defineCommand({
  configure: (command) =>
    command
      .requiredOption("--schemas <dir>", "JSON Schema files laid out as <name>/<major>.<minor>.json")
      .requiredOption("--out <file>", "the TypeScript file to write")
      .option("--check", "write nothing; exit 1 when the file is stale"),
  action: (io) => (options) => runCodegen(options, io),
});
