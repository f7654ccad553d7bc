import { busFromConfig, type HeraldConfig, type Logger, type Policy, schemaNameOf, type TrustStore } from "@herald/sdk";
import { createRejectionReport } from "@herald/sdk/internal";
import { runCommand } from "./run-command.js";
import { createTriggerQueue } from "./trigger-queue.js";

/** What {@link startTrigger} needs. */
export interface TriggerOptions {
  config: HeraldConfig;
  trust: TrustStore | undefined;
  policy: Policy;
  logger: Logger;
  /** Full-topic patterns to react to. */
  topics: string[];
  /** The program and its arguments: run directly, never through a shell. */
  program: string;
  args: string[];
  connect?: string[] | undefined;
  /** Runs at once (default 1). */
  concurrency?: number | undefined;
  /** Messages that may wait for the command (default 100); past it the bus is pushed back. */
  queueLimit?: number | undefined;
  /** Debounce: one run per burst, after this long without a new message (default 0: one per message). */
  waitForMs?: number | undefined;
  /** Be finished after this many runs. */
  count?: number | undefined;
}

/** A running trigger. */
export interface Trigger {
  /** `<patterns> from <bus>`, for a ready line. */
  readonly description: string;
  /** Settles after `count` runs. */
  readonly finished: Promise<void>;
  readonly runs: number;
  /** Stops taking messages and waits for the runs under way. */
  close(): Promise<void>;
}

/**
 * Runs a command for each matching message (or each burst), the envelopes on its stdin as NDJSON
 * and `HERALD_*` describing the last one in its environment: fedmsg-trigger without its shell.
 * On RabbitMQ a message is acknowledged once its run ended.
 * @throws HeraldError `E_CONFIG`, `E_TRANSPORT` when the bus cannot be reached.
 */
export async function startTrigger(options: TriggerOptions): Promise<Trigger> {
  const { config, trust, policy, logger, program, args } = options;
  const rejections = createRejectionReport(logger);
  const { bus, description: from } = await busFromConfig(config, {
    connect: options.connect,
    logger,
    trust,
    policy,
    schemas: "none",
  });
  const schemaName = (topic: string) => schemaNameOf(topic, config.prefix) ?? topic;
  let runs = 0;
  let finish: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const queue = createTriggerQueue({
    concurrency: options.concurrency ?? 1,
    bound: options.queueLimit ?? 100,
    waitForMs: options.waitForMs ?? 0,
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
      if (options.count !== undefined && runs >= options.count) finish?.();
    },
  });
  const consumption = await bus.consume(options.topics, (message) => queue.push(message), {
    onReject: rejections.count,
    onGap: (gap) => logger.warn(`missed ${gap.missed} message(s) on ${gap.topic} from sender ${gap.sender}`),
  });
  return {
    description: `${options.topics.join(" ")} from ${from}`,
    finished,
    get runs() {
      return runs;
    },
    async close() {
      await consumption.close();
      await queue.drain();
      rejections.stop();
      await bus.close();
    },
  };
}
