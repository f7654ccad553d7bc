import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackoff, type Logger, silentLogger } from "@herald/sdk";
import type { MessageStore } from "./message-store.js";
import { toNdjsonLine } from "./ndjson.js";
import type { StoredMessage } from "./stored-message.js";

/** Options of {@link createIngestBuffer}. */
export interface IngestBufferOptions {
  /** Messages per transaction (default 1000). */
  batchSize?: number;
  /** Longest a message waits before its batch is written (default 100 ms). */
  flushMs?: number;
  /** Messages held while the database fails, before `add` makes the subscriber wait (default 100,000). */
  maxBacklog?: number;
  /** Where messages that could never be written go at close, as NDJSON (default the temp folder). */
  rescueDir?: string;
  logger?: Logger;
}

/** Counters of an {@link IngestBuffer}. */
export interface IngestStats {
  stored: number;
  duplicates: number;
  /** Failed writes (each retried). */
  failures: number;
  /** Messages waiting to be written. */
  backlog: number;
  /** True from a failed write until one succeeds: messages wait, the store is not healthy. */
  failing: boolean;
}

/** Batches messages into the store's transactions. */
export interface IngestBuffer {
  /** Queues one message; waits only while the backlog is full (the database is failing). */
  add(message: StoredMessage): Promise<void> | undefined;
  /** Writes everything queued. */
  flush(): Promise<void>;
  /** Flushes, and when the database still fails, saves what is left to a file and says where. */
  close(): Promise<void>;
  readonly stats: IngestStats;
}

/**
 * Batches ingest: one transaction per `batchSize` messages or `flushMs`, whichever comes first.
 * A failed write (database down, disk full) keeps its messages and is retried with backoff up to
 * 5 s apart: nothing received is dropped while the process lives, and at close (after one last
 * try) what could not be written is saved as NDJSON for `herald store import`.
 */
export function createIngestBuffer(store: MessageStore, options: IngestBufferOptions = {}): IngestBuffer {
  const batchSize = options.batchSize ?? 1000;
  const flushMs = options.flushMs ?? 100;
  const maxBacklog = options.maxBacklog ?? 100_000;
  const logger = options.logger ?? silentLogger;
  const stats: IngestStats = { stored: 0, duplicates: 0, failures: 0, backlog: 0, failing: false };
  let queued: StoredMessage[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Writes are retried at 100 ms, doubling to 5 s; the first failure is logged once.
  const retry = createBackoff({ initialMs: 100, maxMs: 5000 });
  const roomWaiters: (() => void)[] = [];
  let closing = false;

  const writeAll = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = queued.slice(0, batchSize);
      try {
        const result = await store.ingest(batch);
        queued = queued.slice(batch.length);
        stats.stored += result.inserted;
        stats.duplicates += result.duplicates;
        if (retry.attempts > 0) logger.info(`${store.location}: writing again, ${queued.length} message(s) waiting`);
        retry.reset();
        stats.failing = false;
      } catch (error) {
        stats.failures++;
        stats.failing = true;
        if (retry.attempts === 0)
          logger.error(`${(error as Error).message}; keeping ${queued.length} message(s), retrying`);
        if (closing) throw error;
        const delay = retry.next();
        await new Promise((resolve) => setTimeout(resolve, delay));
      } finally {
        stats.backlog = queued.length;
        if (queued.length < maxBacklog) for (const wake of roomWaiters.splice(0)) wake();
      }
    }
  };
  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    writing ??= writeAll().finally(() => {
      writing = undefined;
    });
    return writing;
  };

  return {
    stats,
    add(message) {
      queued.push(message);
      stats.backlog = queued.length;
      if (queued.length >= batchSize) void flush().catch(() => {});
      else timer ??= setTimeout(() => void flush().catch(() => {}), flushMs);
      if (queued.length < maxBacklog) return undefined;
      return new Promise((resolve) => roomWaiters.push(resolve));
    },
    flush,
    async close() {
      closing = true;
      try {
        await writing?.catch(() => {});
        await flush();
      } catch {
        const file = join(options.rescueDir ?? tmpdir(), `herald-store-unsaved-${Date.now()}.ndjson`);
        writeFileSync(file, queued.map((message) => toNdjsonLine(message.raw)).join(""));
        logger.error(`${queued.length} message(s) could not be stored; saved to ${file} (herald store import ${file})`);
      } finally {
        for (const wake of roomWaiters.splice(0)) wake();
      }
    },
  };
}
