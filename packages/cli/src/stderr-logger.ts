import type { Logger } from "@herald/sdk";
import type { CommandIo } from "./io.js";
import { colorsFor } from "./io.js";

/** A logger for long-running commands: one line per event on stderr, prefixed with the command. */
export function stderrLogger(command: string, io: CommandIo): Logger {
  const colors = colorsFor(io.stderr, io.env);
  const line = (level: string, message: string) => io.stderr.write(`herald ${command}: ${level}${message}\n`);
  return {
    info: (message) => line("", message),
    warn: (message) => line(colors.yellow("warning: "), message),
    error: (message) => line(colors.red("error: "), message),
  };
}
