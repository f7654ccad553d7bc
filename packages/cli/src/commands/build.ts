import { runBuild } from "@herald/integration-build";
import { CliError } from "../cli-error.js";
import { withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { integrationDeliverer } from "../deliver.js";
import type { CommandIo } from "../io.js";

/**
 * `herald build [--name NAME] -- <command...>`: runs the build, announces its start and end, and
 * exits with the command's own exit code (128 + the signal when a signal ended it).
 */
export async function runBuildCommand(
  command: string[],
  options: { name?: string; owner?: string; config?: string },
  io: CommandIo,
): Promise<void> {
  if (command.length === 0) throw new CliError("E_USAGE", "no command: herald build [--name NAME] -- <command...>");
  const config = configFor(options, io);
  const deliverer = integrationDeliverer(config, io);
  let outcome: Awaited<ReturnType<typeof runBuild>>;
  try {
    outcome = await runBuild({
      command,
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.owner === undefined ? {} : { owner: options.owner }),
      publish: (message) => deliverer.deliver(message),
    });
  } finally {
    await deliverer.close();
  }
  if (outcome.exitCode !== 0)
    throw new CliError(
      "E_EXIT",
      `${command[0]} ${outcome.signal === undefined ? `exited ${outcome.exitCode}` : `was ended by ${outcome.signal}`}`,
      outcome.exitCode,
    );
}

/** `herald build`: its arguments and flags, beside the function that runs it. */
export const buildCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--name <name>", "what is built (default: the command's first word)")
        .option("--owner <username>", "who started the build")
        .argument("<command...>", "the build command, after --")
        .passThroughOptions(),
    ),
  action: (io) => (command, options) => runBuildCommand(command, options, io),
});
