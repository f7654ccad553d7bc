import { createTriggerQueue, runCommand } from "@herald/hub";
import { createRejectionReport, schemaNameOf } from "@herald/sdk";
import { receivingBus } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";
import { warnAboutUnprefixedPatterns } from "../topic-flags.js";

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
  const { trust, policy } = receivingTrust(options, config, io, "run the command for unverified messages");
  const logger = stderrLogger("trigger", io);
  const rejections = createRejectionReport(logger);
  warnAboutUnprefixedPatterns(options.topic, config.prefix, logger);
  const { bus, from } = await receivingBus(config, { connect: options.connect, trust, policy }, logger);
  const schemaName = (topic: string) => schemaNameOf(topic, config.prefix) ?? topic;

  let runs = 0;
  let finished: (() => void) | undefined;
  const enough = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const queue = createTriggerQueue({
    concurrency: options.concurrency ?? 1,
    bound: options.queueLimit ?? 100,
    waitForMs: options.waitFor ?? 0,
    async run(batch) {
      const last = batch[batch.length - 1];
      const what = batch.length === 1 ? `${last?.envelope.id}` : `${batch.length} messages (last ${last?.envelope.id})`;
      const run = await runCommand(program, args, batch, schemaName);
      if (run.error !== undefined) logger.error(`${program}: ${run.error}`);
      else if (run.exitCode !== 0)
        logger.warn(
          `${program} ${run.signal === null ? `exited ${run.exitCode}` : `was ended by ${run.signal}`} for ${what}`,
        );
      runs++;
      if (options.count !== undefined && runs >= options.count) finished?.();
    },
  });
  const consumption = await bus.consume(options.topic, (message) => queue.push(message), {
    onReject: rejections.count,
    onGap: (gap) => logger.warn(`missed ${gap.missed} message(s) on ${gap.topic} from sender ${gap.sender}`),
  });
  logger.info(`ready: ${options.topic.join(" ")} from ${from} -> ${command.join(" ")}`);
  const signal = await Promise.race([untilStopped(), enough.then(() => undefined)]);
  await consumption.close();
  await queue.drain();
  rejections.stop();
  await bus.close();
  if (signal !== undefined) logger.info(`${signal}: stopped after ${runs} run(s)`);
}
