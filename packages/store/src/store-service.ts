import { createHash } from "node:crypto";
import { join } from "node:path";
import { admissionSource, type MetricsSource, transportUp } from "@herald/ops";
import { createSchemaRegistry, type SchemaCatalogue } from "@herald/schemas";
import {
  busFromConfig,
  type Consumption,
  type HeraldConfig,
  type HopStamp,
  type Logger,
  type Policy,
  type ReceivedMessage,
  type RecoveryReport,
  type Subscription,
  type TrustStore,
} from "@herald/sdk";
import { createRejectionReport, type HttpRoute } from "@herald/sdk/internal";
import { type QueryApi, startQueryApi } from "./http-api.js";
import { createIngestBuffer } from "./ingest-buffer.js";
import { openStore } from "./open-store.js";
import { openSeriesMarks } from "./series-marks.js";
import type { StoreConfig } from "./store-config.js";
import { type StoredMessage, toStoredMessage } from "./stored-message.js";

/** What {@link startStoreService} needs. */
export interface StoreServiceOptions {
  config: HeraldConfig & StoreConfig;
  trust: TrustStore | undefined;
  policy: Policy;
  logger: Logger;
  /** The database (default: `[store] db`). */
  db?: string | undefined;
  /** Topic patterns to store (default `#`). */
  topics?: string[] | undefined;
  connect?: string[] | undefined;
  /** On RabbitMQ, the durable queue to read (default: `[amqp] queue`, else `herald.store`). */
  queue?: string | undefined;
  /** Other stores' query APIs to recover missed messages from (default: `[store] peers`). */
  peers?: string[] | undefined;
  /** The query API's port (default `[store] http_port`); false serves none. */
  http?: number | false | undefined;
  /** The schemas messages are validated and indexed with (default: the built-in catalogue). */
  catalogue?: SchemaCatalogue | undefined;
  /** `/healthz` and `/metrics`, served beside the query API. */
  opsRoutes?: (health: () => { ok: boolean; store: string }) => HttpRoute;
}

/** The running store. */
export interface StoreService {
  /** `storing into …, query API …, reading …`, for a ready line. */
  readonly description: string;
  readonly sources: readonly MetricsSource[];
  /** Ends the subscription, writes what is buffered, closes the database. */
  close(): Promise<void>;
  /** ` after storing N message(s) (M already stored); refused: …`, once closed. */
  summary(): string;
}

/**
 * Archives every message of the bus: each stored exactly as received, in batches, with gaps
 * recovered from peer stores; the datagrepper-compatible query API beside it.
 * @throws HeraldError `E_STORE` when the database cannot be opened; `E_CONFIG`, `E_TRANSPORT`.
 */
export async function startStoreService(options: StoreServiceOptions): Promise<StoreService> {
  const { config, trust, policy, logger } = options;
  const peers = options.peers ?? config.store.peers;
  const prefixTokens = config.prefix.split(".").length;
  const store = await openStore(options.db ?? config.store.db);
  let healthy = () => true;
  const routes = options.opsRoutes?.(() => ({ ok: healthy(), store: store.location }));
  let api: QueryApi | undefined;
  try {
    if (options.http !== false)
      api = await startQueryApi(store, {
        port: options.http ?? config.store.httpPort,
        host: config.store.httpHost,
        ...(routes === undefined ? {} : { routes }),
        ...(options.catalogue?.presenter === undefined ? {} : { presenter: options.catalogue.presenter }),
      });
  } catch (error) {
    await store.close();
    throw error;
  }
  const latest = await store.latestTime();
  // On RabbitMQ the store reads a durable queue: what arrives while it is stopped waits for it.
  const queue = options.queue ?? config.amqp.queue ?? "herald.store";
  const {
    bus,
    transport,
    description: from,
  } = await busFromConfig(config, {
    connect: options.connect,
    queue,
    logger,
    trust,
    policy,
    schemas: options.catalogue?.registry ?? createSchemaRegistry(),
  });
  const rejections = createRejectionReport(logger);
  // The numbers of what was committed, per sender and topic: after a restart, what the relay sent
  // meanwhile is a gap from these, fetched from its journal, not lost behind a new baseline.
  const marks = openSeriesMarks(seriesMarksFile(config.stateDir, store.location), logger);
  const stamps = new WeakMap<StoredMessage, [string, HopStamp]>();
  const buffer = createIngestBuffer(store, {
    logger,
    deadLetterFile: config.store.deadLetterFile,
    onCommitted(messages) {
      marks.committed(
        (function* () {
          for (const message of messages) {
            const stamp = stamps.get(message);
            if (stamp !== undefined) yield stamp;
          }
        })(),
      );
    },
  });
  const stored = (message: ReceivedMessage) => {
    const record = toStoredMessage(message, prefixTokens, options.catalogue?.presenter);
    if (message.stamp !== undefined) stamps.set(record, [message.topic, message.stamp]);
    return record;
  };
  const topics = options.topics ?? ["#"];
  // From a broker queue a message is acknowledged only once its batch committed (a SIGKILL
  // before that, and the broker delivers it again); from ZeroMQ, what was missed is fetched.
  const reading: Consumption | Subscription = transport.acknowledges
    ? await bus.consume(topics, (message) => buffer.addDurable(stored(message)), { onReject: rejections.count })
    : await bus.subscribe(topics, {
        onReject: rejections.count,
        onGap: (gap) => logger.warn(`missed ${gap.missed} message(s) on ${gap.topic} from sender ${gap.sender}`),
        resumeFrom: marks.loaded,
        // Gaps are filled from the sending relay's journal, then from peer stores.
        recover: {
          stores: peers,
          logger,
          ...(latest === undefined || peers.length === 0 ? {} : { since: new Date(latest) }),
          onRecovered: (report) =>
            logger.info(
              `recovered ${report.recovered}${report.missed === undefined ? "" : ` of ${report.missed}`} message(s) on ${report.topics.join(" ")}${recoveredFrom(report)}`,
            ),
        },
      });
  // Unhealthy while the broker is unreachable, while writes fail (messages wait) or pile up.
  healthy = () => transportUp(transport) && !buffer.stats.failing && buffer.stats.backlog < 10_000;
  const ingesting = transport.acknowledges
    ? Promise.resolve()
    : (async () => {
        for await (const message of reading as Subscription) {
          const full = buffer.add(stored(message));
          if (full !== undefined) await full;
        }
      })();
  const where =
    api === undefined
      ? ""
      : `, query API http://${config.store.httpHost}:${api.port}/herald/search (datagrepper's at /raw, /v2/search, /v2/id)`;
  return {
    description: `storing into ${store.location}${where}, reading ${from}`,
    sources: [
      admissionSource("subscription", () => reading.stats, transport),
      {
        part: "ingest",
        messagesIn: () => buffer.stats.stored + buffer.stats.duplicates + buffer.stats.backlog,
        messagesOut: () => buffer.stats.stored,
        rejected: () => ({ duplicate: buffer.stats.duplicates, "dead-letter": buffer.stats.deadLettered }),
        queueDepth: () => buffer.stats.backlog,
      },
    ],
    async close() {
      await reading.close();
      await ingesting;
      rejections.stop();
      await buffer.close();
      marks.close();
      await bus.close();
      await api?.close();
      await store.close();
    },
    summary() {
      const { stored, duplicates, deadLettered } = buffer.stats;
      const aside = deadLettered === 0 ? "" : `, ${deadLettered} set aside in ${config.store.deadLetterFile}`;
      return ` after storing ${stored} message(s) (${duplicates} already stored${aside}); refused: ${rejections.summary()}`;
    },
  };
}

/** The series marks of a store: one file per database, in the state folder. */
function seriesMarksFile(stateDir: string, location: string): string {
  // The database's name for whoever looks, and a hash of its whole location to keep two apart.
  const name = location.replace(/[^A-Za-z0-9.-]+/g, "_").slice(-40);
  const hash = createHash("sha256").update(location).digest("hex").slice(0, 8);
  return join(stateDir, `store-${name}-${hash}.series.json`);
}

/** Where a recovery's messages came from, for its log line. */
function recoveredFrom(report: RecoveryReport): string {
  const journal = report.fromJournal ? ` (${report.fromJournal} from the relay's journal)` : "";
  if (report.store !== undefined) return ` from ${report.store}${journal}`;
  return journal === "" ? ": no journal or store held them" : journal;
}
