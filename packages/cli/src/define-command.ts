import type { Command } from "commander";
import type { CommandIo } from "./io.js";

/**
 * One command of `herald`, declared in the file that runs it (citty's shape on commander): its
 * arguments and flags, and its action. The registry (`command-registry.ts`) gives it its name and
 * description and loads the file only when that command runs.
 */
export interface CommandDefinition {
  /** Declares the command's arguments and flags on the commander command the registry made. */
  configure(command: Command): Command;
  /**
   * The action, given the command's streams: commander calls it with the positional arguments,
   * then the options.
   */
  // biome-ignore lint/suspicious/noExplicitAny: commander hands actions untyped arguments; each run function types them.
  action(io: CommandIo): (...args: any[]) => void | Promise<void>;
}

/** Declares a command: see {@link CommandDefinition}. */
export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}
