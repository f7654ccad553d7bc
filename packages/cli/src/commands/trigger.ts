import { startTrigger } from "@herald/hub";
import { Option } from "commander";
import { requireBusAddresses } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { collect, positiveInteger, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { checkTopicPatterns } from "../topic-flags.js";

/** Flags of `herald trigger`. */
export interface TriggerOptions {
  topic: string[];
  connect?: string[];
  waitFor?: number;
  concurrency?: number;
  queueLimit?: number;
  count?: number;
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald trigger --topic PATTERN -- COMMAND ARGS…`: runs the command for each matching message
 * (or once per burst with `--wait-for`), the envelope on its stdin and `HERALD_*` variables in its
 * environment, never through a shell. Stops on SIGINT/SIGTERM (after the runs in progress), or
 * after `--count` runs.
 */
export async function runTrigger(command: string[], options: TriggerOptions, io: CommandIo): Promise<void> {
  const [program, ...args] = command;
  if (program === undefined)
    throw new CliError("E_USAGE", "no command: herald trigger --topic PATTERN -- COMMAND ARGS…");
  const config = configFor(options, io);
  requireBusAddresses(config, options.connect);
  const { trust, policy } = receivingTrust(options, config, io, "run the command for unverified messages", "trigger");
  await runService(io, "trigger", undefined, async ({ logger }) => {
    checkTopicPatterns(options.topic, config.prefix, logger);
    const trigger = await startTrigger({
      config,
      trust,
      policy,
      logger,
      topics: options.topic,
      program,
      args,
      connect: options.connect,
      concurrency: options.concurrency,
      queueLimit: options.queueLimit,
      waitForMs: options.waitFor,
      count: options.count,
    });
    return {
      ready: `${trigger.description} -> ${command.join(" ")}`,
      finished: trigger.finished,
      close: trigger.close,
      summary: () => ` after ${trigger.runs} run(s)`,
    };
  });
}

/** `herald trigger`: its arguments and flags, beside the function that runs it. */
export const triggerCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .requiredOption("--topic <pattern>", "full-topic pattern to react to (repeatable)", collect)
        .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
        .addOption(
          new Option("--wait-for <ms>", "run once per burst, after this long without a new message").argParser(
            positiveInteger,
          ),
        )
        .addOption(
          new Option("--concurrency <n>", "runs of the command at once (default 1)").argParser(positiveInteger),
        )
        .addOption(
          new Option("--queue-limit <n>", "messages that may wait for the command (default 100)").argParser(
            positiveInteger,
          ),
        )
        .addOption(new Option("--count <n>", "exit after this many runs").argParser(positiveInteger))
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "run the command for unverified messages too")
        .argument("<command...>", "the command and its arguments, after --")
        .passThroughOptions(),
    ),
  action: (io) => (command, options) => runTrigger(command, options, io),
});
