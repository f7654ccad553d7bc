import { type Command, CommanderError } from "commander";

/** Commander keeps the last value of a repeated flag; these flags collect every value. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds `--config`, which every command that reads the configuration takes. */
export const withConfig = (command: Command): Command =>
  command.option(
    "--config <file>",
    "herald.toml to read (default: $HERALD_CONFIG, ./herald.toml, ~/.config/herald, /etc/herald)",
  );

const invalid = (message: string) => new CommanderError(2, "herald.invalidArgument", `error: ${message}`);

/** Parses a flag's value as a whole number of at least 1. */
export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw invalid(`expected a positive whole number, got ${JSON.stringify(text)}`);
  return value;
}

/** Parses `--from`, a store's query API: `http://host:port` or `https://…`. */
export function storeUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:"))
    throw invalid(
      `--from: expected the store's http:// or https:// URL, e.g. http://${text.replace(/^[a-z]+:\/\//, "")}, got ${JSON.stringify(text)}`,
    );
  return text;
}

/** Parses a flag's value as a TCP port. */
export function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw invalid(`expected a port from 0 to 65535, got ${JSON.stringify(text)}`);
  return value;
}
