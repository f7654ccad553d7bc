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
    // A library error caused by a file that could not be read (a schema folder that is not there)
    // is the user's I/O too.
    return couldNotRun.has(error.code) || fileSystemProblem(error.cause) !== undefined ? 2 : 1;
  }
  const fileProblem = fileSystemProblem(error);
  if (fileProblem !== undefined) {
    io.stderr.write(`herald: ${fileProblem}\n`);
    return 2;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`herald: this is a bug, please report it with what follows:\n${stack}\n`);
  return 70;
}

/**
 * The library errors that mean the command could not run (a configuration, key or trust file that
 * cannot be used, a broker or database that cannot be reached): exit 2, as for usage and I/O, so a
 * CI job tells them from a finding (exit 1).
 */
const couldNotRun: ReadonlySet<string> = new Set([
  "E_CONFIG",
  "E_KEY",
  "E_TRUST",
  "E_TRANSPORT",
  "E_CLOSED",
  "E_STORE",
]);

/**
 * A file or folder the command was pointed at that could not be read, written or made (a path
 * under /proc, a file where a folder should be, no permission, a full disk): the user's I/O, not a
 * bug, wherever in a command it surfaced. One line naming the path and why, for exit 2.
 */
function fileSystemProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof code !== "string" || typeof syscall !== "string" || typeof path !== "string") return undefined;
  // Node's message is "ENOENT: no such file or directory, mkdir '/x'": keep its plain words.
  const why = /^[A-Z]+: ([^,]+),/.exec(error.message)?.[1] ?? code;
  return `cannot ${syscall} ${path}: ${why} (${code})`;
}
