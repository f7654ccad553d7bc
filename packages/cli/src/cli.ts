import { Command } from "commander";
import { type CommandEntry, commandRegistry } from "./command-registry.js";
import { handleError } from "./handle-error.js";
import { type CommandIo, processIo } from "./io.js";

/**
 * The registry entries `argv` names: the command it runs and the commands it sits under
 * (`store export` → `store`, `store export`), which are the only ones whose files are loaded.
 */
function entriesNamedBy(argv: readonly string[]): Set<string> {
  const words: string[] = [];
  for (const word of argv[0] === "help" ? argv.slice(1) : argv) {
    if (word.startsWith("-")) break;
    words.push(word);
  }
  const named = new Set<string>();
  for (let length = 1; length <= words.length; length++) named.add(words.slice(0, length).join(" "));
  return named;
}

/**
 * Builds the `herald` program for `argv`: every command of the registry with its description, and
 * the arguments, flags and action of the one `argv` runs, whose file alone is imported — so
 * `herald publish` in a git hook loads neither the relay nor the store.
 */
export async function createProgram(io = processIo(), argv: readonly string[] = []): Promise<Command> {
  const program = new Command("herald")
    .description("Publish, verify and watch signed messages on a Herald bus.")
    .version("0.1.0")
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)");
  const named = entriesNamedBy(argv);
  const made = new Map<string, Command>([["", program]]);
  for (const entry of commandRegistry) {
    const at = entry.path.lastIndexOf(" ");
    const parent = made.get(at === -1 ? "" : entry.path.slice(0, at)) as Command;
    const command = parent.command(entry.path.slice(at + 1)).description(entry.description);
    if (entry.positionalOptions === true) command.enablePositionalOptions();
    made.set(entry.path, command);
    if (named.has(entry.path)) await define(command, entry, io);
  }
  return program;
}

async function define(command: Command, entry: CommandEntry, io: CommandIo): Promise<void> {
  if (entry.load === undefined) return;
  const definition = await entry.load();
  definition.configure(command).action(definition.action(io));
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io = processIo()): Promise<number> {
  try {
    await (await createProgram(io, argv)).parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    return handleError(error, io);
  }
}
