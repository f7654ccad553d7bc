import { readFileSync } from "node:fs";
import { CliError } from "./cli-error.js";

/** Reads a JSON file named on the command line; a problem is one line naming the file. */
export function readJsonFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new CliError("E_IO", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new CliError("E_INPUT", `${file}: not valid JSON: ${(cause as Error).message}`);
  }
}
