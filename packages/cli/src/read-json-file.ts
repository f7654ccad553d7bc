import { readFileSync } from "node:fs";
import { type JsonLimits, readBoundedJson } from "@herald/sdk";
import { CliError } from "./cli-error.js";

/**
 * Reads a message or its data given on the command line or a line of input as every listener
 * reads it from the network (the SDK's bounded reader), so what a command accepts is what a relay
 * accepts: a key twice, nesting past 64 or an integer `JSON.parse` would round is refused, not
 * silently changed. The problem, when there is one, is a short phrase for the caller's line.
 */
export function readJsonText(
  text: string,
  limits: JsonLimits = {},
): { ok: true; value: unknown } | { ok: false; problem: string } {
  const reading = readBoundedJson(text, limits);
  if (reading.ok) return { ok: true, value: reading.value };
  return {
    ok: false,
    problem: `${reading.reason === "not-json" ? "not valid JSON" : `refused: ${reading.reason}`}: ${reading.detail}`,
  };
}

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
