import type { AdmissionStats, Bus, Consumption, Logger, ReceivedMessage } from "@herald/sdk";
import { declaredPublisher } from "./consumer-publisher.js";
import { type ConsumerRunner, createConsumerRunner } from "./consumer-runner.js";
import type { AnyConsumer, AnyConsumerMessage, ConsumerContext } from "./define-consumer.js";
import type { ConsumerLimits } from "./hub-config.js";

/** One consumer to host, with its settings and limits (from `[[hub.consumers]]`). */
export interface HostedConsumer {
  consumer: AnyConsumer;
  settings: Readonly<Record<string, unknown>>;
  limits: ConsumerLimits;
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

async function hostConsumer({ consumer, settings, limits }: HostedConsumer, options: HubOptions) {
  const logger = options.logger(consumer.name);
  const bus = await options.openBus(consumer.name);
  const eventOf = new Map<string, string>(consumer.topics.map((event) => [bus.topic(event), event]));
  let consumption: Consumption | undefined;
  // Subscriptions closed by isolation: their counts stay in the totals.
  const retired: AdmissionStats[] = [];
  const runner = createConsumerRunner(consumer, limits, {
    logger,
    settings,
    ...(options.publish === undefined ? {} : { publish: declaredPublisher(consumer, options.publish) }),
    onIsolated: () => {
      // Not awaited: closing waits for the handler that is reporting this very failure.
      const closing = consumption?.close();
      if (consumption !== undefined) retired.push(consumption.stats);
      consumption = undefined;
      closing?.catch((error: Error) => logger.warn(`closing its subscription: ${error.message}`));
    },
  });

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
    admission: () => sumStats([...retired, ...(consumption === undefined ? [] : [consumption.stats])]),
    subscribe,
    async close() {
      await consumption?.close();
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
    gaps: 0,
  };
  for (const stats of all) {
    total.received += stats.received;
    total.accepted += stats.accepted;
    total.duplicates += stats.duplicates;
    total.missed += stats.missed;
    total.gaps += stats.gaps;
    for (const [reason, count] of Object.entries(stats.rejected) as [keyof AdmissionStats["rejected"], number][])
      total.rejected[reason] = (total.rejected[reason] ?? 0) + count;
  }
  return total;
}
