import { admissionSource, createCommandMetrics, opsRoutes, transportUp } from "@herald/ops";
import { createSchemaRegistry } from "@herald/schemas";
import { createBus, createRejectionReport } from "@herald/sdk";
import { createIngestBuffer, openStore, type QueryApi, startQueryApi, toStoredMessage } from "@herald/store";
import { receivingTransport } from "../bus-transport.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";

/** Flags of `herald store`. */
export interface StoreOptions {
  db?: string;
  connect?: string[];
  topic?: string[];
  http?: number | false;
  peer?: string[];
  queue?: string;
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald store`: subscribes, verifies, archives in batches and serves the query API until SIGINT
 * or SIGTERM. With peers, it fetches what it missed on every gap and, at start, what was published
 * since its newest message.
 */
export async function runStore(options: StoreOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { trust, policy } = receivingTrust(options, config, io, "store unverified messages");
  const logger = stderrLogger("store", io);
  const peers = options.peer ?? config.store.peers;
  const prefixTokens = config.prefix.split(".").length;

  const store = await openStore(options.db ?? config.store.db);
  // /healthz and /metrics live beside the query API; the parts report once they exist.
  const metrics = createCommandMetrics("store");
  let healthy = () => true;
  const routes = opsRoutes(metrics, () => ({ ok: healthy(), store: store.location }));
  let api: QueryApi | undefined;
  try {
    if (options.http !== false)
      api = await startQueryApi(store, {
        port: options.http ?? config.store.httpPort,
        host: config.store.httpHost,
        routes,
      });
  } catch (error) {
    await store.close();
    throw error;
  }
  const latest = await store.latestTime();
  // On RabbitMQ the store reads a durable queue (`--queue`, else amqp.queue, else herald.store):
  // what arrives while it is stopped waits for it.
  const queue = options.queue ?? config.amqp.queue ?? "herald.store";
  const { transport, from } = await receivingTransport(config, { ...options, queue }, logger);
  const bus = createBus({
    transport,
    policy,
    schemas: createSchemaRegistry(),
    ...(trust === undefined ? {} : { trust }),
  });
  const rejections = createRejectionReport(logger);
  const subscription = await bus.subscribe(options.topic ?? ["#"], {
    onReject: rejections.count,
    onGap: (gap) => logger.warn(`missed ${gap.missed} message(s) on ${gap.topic} from sender ${gap.sender}`),
    ...(peers.length === 0
      ? {}
      : {
          recover: {
            stores: peers,
            logger,
            ...(latest === undefined ? {} : { since: new Date(latest) }),
            onRecovered: (report) =>
              logger.info(
                `recovered ${report.recovered}${report.missed === undefined ? "" : ` of ${report.missed}`} message(s) on ${report.topics.join(" ")}${report.store === undefined ? ": no store answered" : ` from ${report.store}`}`,
              ),
          },
        }),
  });
  const buffer = createIngestBuffer(store, { logger });
  metrics.add(admissionSource("subscription", () => subscription.stats, transport));
  metrics.add({
    part: "ingest",
    messagesIn: () => buffer.stats.stored + buffer.stats.duplicates + buffer.stats.backlog,
    messagesOut: () => buffer.stats.stored,
    rejected: () => ({ duplicate: buffer.stats.duplicates }),
    queueDepth: () => buffer.stats.backlog,
  });
  // Unhealthy while the broker is unreachable or the database refuses writes (messages pile up).
  healthy = () => transportUp(transport) && buffer.stats.backlog < 10_000;
  const where = api === undefined ? "" : `, query API http://${config.store.httpHost}:${api.port}/v2/search`;
  logger.info(`ready: storing into ${store.location}${where}, reading ${from}`);
  const stopped = untilStopped().then((signal) => {
    void subscription.close();
    return signal;
  });

  for await (const message of subscription) {
    const full = buffer.add(toStoredMessage(message, prefixTokens));
    if (full !== undefined) await full;
  }
  const signal = await stopped;
  rejections.stop();
  await buffer.close();
  await bus.close();
  await api?.close();
  await store.close();
  const { stored, duplicates } = buffer.stats;
  logger.info(
    `${signal}: stopped after storing ${stored} message(s) (${duplicates} already stored); refused: ${rejections.summary()}`,
  );
}
