import {
  type AdmissionStats,
  type Bus,
  type Consumption,
  HeraldError,
  type Logger,
  type ReceivedMessage,
} from "@herald/sdk";
import { declaredPublisher } from "./consumer-publisher.js";
import { type ConsumerRunner, createConsumerRunner } from "./consumer-runner.js";
import { startConsumerThread } from "./consumer-thread.js";
import type { AnyConsumer, AnyConsumerMessage, ConsumerContext } from "./define-consumer.js";
import type { ConsumerLimits, Isolation } from "./hub-config.js";

/** One consumer to host, with its settings and limits (from `[[hub.consumers]]`). */
export interface HostedConsumer {
  consumer: AnyConsumer;
  settings: Readonly<Record<string, unknown>>;
  limits: ConsumerLimits;
  /**
   * `thread` (what `herald hub` does by default): the handler runs in a worker thread of its own,
   * which imports `module` again, so a consumer that exits, throws outside its handler or blocks
   * cannot end or freeze the others; `none` (the default here): in the hub's thread.
   */
  isolation?: Isolation;
  /** The consumer's module, needed for `isolation: "thread"`. */
  module?: string;
}

/** Options of {@link createHub}. */
export interface HubOptions {
  consumers: readonly HostedConsumer[];
  /**
   * Opens the bus one consumer receives on. Each consumer gets its own (on RabbitMQ, its own
   * durable queue), so an isolated consumer's messages wait for it while the others go on.
   */
  openBus(consumerName: string): Promise<Bus>;
  /**
   * True when the transport acknowledges messages (RabbitMQ): a message is then acknowledged
   * only once its handler succeeded, and one that failed every attempt goes back to the broker
   * (redelivered, then dead-lettered). Over ZeroMQ, which has no acknowledgements, the hub only
   * waits for a free slot, so a consumer's handlers run concurrently.
   */
  acknowledges: boolean;
  logger(consumerName: string): Logger;
  publish?: ConsumerContext["publish"];
}

/** One hosted consumer, as `/healthz` and `/metrics` report it. */
export interface HostedConsumerStatus {
  runner: ConsumerRunner;
  /** Where its handler runs. */
  isolation: Isolation;
  /** Its threads that ended or were stopped as blocked, each replaced (0 in the hub's thread). */
  threadRestarts(): number;
  /** Why its last thread ended. */
  lastThreadExit(): string | undefined;
  /** What its subscriptions received and refused, every one since the hub started (counters never go back). */
  admission(): AdmissionStats;
}

/** A running hub. */
export interface Hub {
  readonly consumers: readonly HostedConsumerStatus[];
  /** Puts an isolated consumer back to work: it subscribes again. */
  resume(name: string): Promise<boolean>;
  /** Stops every consumer (aborting running handlers) and closes their buses. */
  close(): Promise<void>;
}

/**
 * Starts hosting consumers: one subscription per consumer to the events it declared, its handler
 * run by a {@link ConsumerRunner}. A consumer that keeps failing is isolated — its subscription is
 * closed — and the others go on.
 * @throws HeraldError when a consumer's bus cannot be opened.
 */
export async function createHub(options: HubOptions): Promise<Hub> {
  const hosted = await Promise.all(options.consumers.map((entry) => hostConsumer(entry, options)));
  return {
    consumers: hosted,
    async resume(name) {
      const entry = hosted.find((candidate) => candidate.runner.name === name);
      if (entry === undefined || entry.runner.state !== "isolated") return false;
      entry.runner.resume();
      await entry.subscribe();
      return true;
    },
    async close() {
      for (const entry of hosted) entry.runner.stop();
      await Promise.all(hosted.map((entry) => entry.close()));
    },
  };
}

async function hostConsumer(entry: HostedConsumer, options: HubOptions) {
  const { consumer, settings, limits } = entry;
  const logger = options.logger(consumer.name);
  const isolation = entry.isolation ?? "none";
  if (isolation === "thread" && entry.module === undefined)
    throw new HeraldError("E_CONFIG", `consumer ${consumer.name}: isolation "thread" needs its module`);
  const publish = options.publish === undefined ? undefined : declaredPublisher(consumer, options.publish);
  const thread =
    isolation === "thread"
      ? startConsumerThread({
          module: entry.module as string,
          settings,
          logger,
          ...(publish === undefined ? {} : { publish }),
        })
      : undefined;
  try {
    await thread?.started;
  } catch (error) {
    await thread?.close();
    throw new HeraldError(
      "E_CONFIG",
      `consumer ${consumer.name}: its thread did not start: ${(error as Error).message}`,
    );
  }
  const bus = await options.openBus(consumer.name);
  const eventOf = new Map<string, string>(consumer.topics.map((event) => [bus.topic(event), event]));
  let consumption: Consumption | undefined;
  // Subscriptions closed by isolation: their counts stay in the totals.
  const retired: AdmissionStats[] = [];
  const runner = createConsumerRunner(
    thread === undefined ? consumer : { ...consumer, handle: thread.handle },
    limits,
    {
      logger,
      settings,
      ...(publish === undefined ? {} : { publish }),
      onIsolated: () => {
        // Not awaited: closing waits for the handler that is reporting this very failure.
        const closing = consumption?.close();
        if (consumption !== undefined) retired.push(consumption.stats);
        consumption = undefined;
        closing?.catch((error: Error) => logger.warn(`closing its subscription: ${error.message}`));
      },
    },
  );

  const handle = async (received: ReceivedMessage) => {
    const message = {
      event: eventOf.get(received.topic) as string,
      data: received.envelope.data,
      topic: received.topic,
      envelope: received.envelope,
      recovered: received.recovered === true,
    } as unknown as AnyConsumerMessage;
    const { outcome } = await runner.submit(message);
    if (!options.acknowledges) return;
    const result = await outcome;
    // Back to the broker: redelivered later, dead-lettered past the queue's delivery limit.
    if (result !== "handled") throw new Error(`${consumer.name}: ${result}`);
  };
  const subscribe = async () => {
    consumption = await bus.consume([...eventOf.keys()], handle, {
      onReject: (rejection) => logger.warn(`refused ${rejection.topic}: ${rejection.reason}`),
    });
  };
  await subscribe();

  return {
    runner,
    isolation,
    threadRestarts: () => thread?.restarts ?? 0,
    lastThreadExit: () => thread?.lastExit,
    admission: () => sumStats([...retired, ...(consumption === undefined ? [] : [consumption.stats])]),
    subscribe,
    async close() {
      await consumption?.close();
      await thread?.close();
      await bus.close();
    },
  };
}

function sumStats(all: readonly AdmissionStats[]): AdmissionStats {
  const total: AdmissionStats = {
    received: 0,
    accepted: 0,
    duplicates: 0,
    rejected: {} as AdmissionStats["rejected"],
    missed: 0,
    lost: 0,
    gaps: 0,
  };
  for (const stats of all) {
    total.received += stats.received;
    total.accepted += stats.accepted;
    total.duplicates += stats.duplicates;
    total.missed += stats.missed;
    total.gaps += stats.gaps;
    total.lost += stats.lost;
    for (const [reason, count] of Object.entries(stats.rejected) as [keyof AdmissionStats["rejected"], number][])
      total.rejected[reason] = (total.rejected[reason] ?? 0) + count;
  }
  return total;
}
