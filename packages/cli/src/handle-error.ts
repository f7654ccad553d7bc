import { HeraldError } from "@herald/sdk";
import { CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import type { CommandIo } from "./io.js";

/**
 * The one top-level catch: user mistakes and expected failures become one line and an exit code;
 * anything else is a bug and says so, with its stack.
 */
export function handleError(error: unknown, io: CommandIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help / version, which exit 0).
    if (error.code === "herald.invalidArgument") io.stderr.write(`herald: ${error.message.replace(/^error: /, "")}\n`);
    return error.exitCode === 0 ? 0 : 2;
  }
  if (CliError.isInstance(error)) {
    // A wrapped command's failure was already shown by the command itself.
    if (error.code !== "E_EXIT") io.stderr.write(`herald: ${error.message}\n`);
    return error.exitCode;
  }
  if (HeraldError.isInstance(error)) {
    io.stderr.write(`herald: ${error.message}\n`);
    return 1;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`herald: this is a bug, please report it with what follows:\n${stack}\n`);
  return 70;
}
