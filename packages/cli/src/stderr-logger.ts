import type { Logger } from "@herald/sdk";
import type { CommandIo } from "./io.js";
import { colorsFor } from "./io.js";

/** A logger for long-running commands: one line per event on stderr, prefixed with the command. */
export function stderrLogger(command: string, io: CommandIo): Logger {
  const colors = colorsFor(io.stderr, io.env);
  const line = (level: string, message: string) => io.stderr.write(`herald ${command}: ${level}${oneLine(message)}\n`);
  return {
    info: (message) => line("", message),
    warn: (message) => line(colors.yellow("warning: "), message),
    error: (message) => line(colors.red("error: "), message),
  };
}

/** The longest log line kept: what a peer sends (a subject, an error text) cannot flood the log. */
const maxLineLength = 2000;

/**
 * A message as one bounded line: control characters (a peer's newline could forge a log line of
 * its own) are written as escapes, and what is beyond {@link maxLineLength} is cut, saying how much.
 */
export function oneLine(message: string): string {
  const escaped = message.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
    /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g,
    (character) => (character === "\n" ? "\\n" : `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`),
  );
  return escaped.length <= maxLineLength
    ? escaped
    : `${escaped.slice(0, maxLineLength)}… (${escaped.length - maxLineLength} more characters)`;
}
