import { closeSync, fsyncSync, openSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createBackoff, type Logger, silentLogger } from "@herald/sdk";
import { makeDirectory } from "@herald/sdk/internal";
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
  /**
   * Where a message the database refuses on its own, while it takes the others of its batch, is
   * set aside (NDJSON, appended and fsync'd), so one bad message never blocks the rest. Without
   * it such a message is retried like a database failure.
   */
  deadLetterFile?: string;
  /** Told of every batch once it is committed (or set aside): what the database now holds. */
  onCommitted?: (messages: readonly StoredMessage[]) => void;
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
  /** Messages the database refused on their own, set aside in the dead-letter file. */
  deadLettered: number;
}

/** Batches messages into the store's transactions. */
export interface IngestBuffer {
  /** Queues one message; waits only while the backlog is full (the database is failing). */
  add(message: StoredMessage): Promise<void> | undefined;
  /**
   * Queues one message and resolves once it is committed (or set aside in the dead-letter file):
   * for a reader of a broker queue, which acknowledges only then. Batches form from whatever
   * arrives while the previous one is written.
   */
  addDurable(message: StoredMessage): Promise<void>;
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
  const stats: IngestStats = { stored: 0, duplicates: 0, failures: 0, backlog: 0, failing: false, deadLettered: 0 };
  let queued: StoredMessage[] = [];
  // Who waits for which message to be committed (addDurable).
  const committed = new Map<StoredMessage, () => void>();
  const settle = (messages: readonly StoredMessage[]) => {
    if (committed.size === 0) return;
    for (const message of messages) {
      committed.get(message)?.();
      committed.delete(message);
    }
  };
  const setAside = (messages: readonly StoredMessage[], error: Error) => {
    const file = options.deadLetterFile as string;
    makeDirectory(dirname(file));
    const fd = openSync(file, "a", 0o600);
    try {
      writeSync(fd, messages.map((message) => toNdjsonLine(message.raw)).join(""));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    stats.deadLettered += messages.length;
    logger.error(
      `${store.location}: refused ${messages.length} message(s) (${error.message}); set aside in ${file} (herald store import ${file})`,
    );
  };
  /**
   * After a batch the database refused for something in the messages (not for being down or
   * full): each message on its own. Those it takes go in; those it refuses on their own are set
   * aside. Any other failure on the way, and the batch waits and is retried as a whole.
   */
  const isolate = async (batch: readonly StoredMessage[], error: unknown): Promise<boolean> => {
    if (options.deadLetterFile === undefined || !isMessageFault(error)) return false;
    const refused: StoredMessage[] = [];
    for (const message of batch) {
      try {
        const result = await store.ingest([message]);
        stats.stored += result.inserted;
        stats.duplicates += result.duplicates;
      } catch (single) {
        if (!isMessageFault(single)) throw single;
        refused.push(message);
      }
    }
    if (refused.length > 0) setAside(refused, error as Error);
    return true;
  };
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
        settle(batch);
        options.onCommitted?.(batch);
        stats.stored += result.inserted;
        stats.duplicates += result.duplicates;
        if (retry.attempts > 0) logger.info(`${store.location}: writing again, ${queued.length} message(s) waiting`);
        retry.reset();
        stats.failing = false;
      } catch (error) {
        stats.failures++;
        // Refused for what a message holds: the others go in, that one is set aside.
        const isolated = await isolate(batch, error).catch(() => false);
        if (isolated) {
          queued = queued.slice(batch.length);
          settle(batch);
          options.onCommitted?.(batch);
          stats.failing = false;
          retry.reset();
          stats.backlog = queued.length;
          continue;
        }
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
    addDurable(message) {
      const done = new Promise<void>((resolve) => committed.set(message, resolve));
      queued.push(message);
      stats.backlog = queued.length;
      // Written as soon as the previous write ends: the batch is what arrived meanwhile.
      if (queued.length >= batchSize) void flush().catch(() => {});
      else timer ??= setTimeout(() => void flush().catch(() => {}), 1);
      return done;
    },
    flush,
    async close() {
      closing = true;
      try {
        await writing?.catch(() => {});
        await flush();
      } catch {
        const file = join(options.rescueDir ?? tmpdir(), `herald-store-unsaved-${Date.now()}.ndjson`);
        writeFileSync(file, queued.map((message) => toNdjsonLine(message.raw)).join(""), { flush: true });
        // Saved where an operator finds them: their broker may forget them now.
        settle(queued);
        logger.error(`${queued.length} message(s) could not be stored; saved to ${file} (herald store import ${file})`);
      } finally {
        for (const wake of roomWaiters.splice(0)) wake();
      }
    },
  };
}

/**
 * Whether the database refused a write for what a message holds rather than for its own state:
 * PostgreSQL's data exceptions (class 22: a byte sequence it cannot take, a value too long),
 * integrity violations (class 23) and an index row too large (54000); SQLite's too big, mismatch
 * and constraint errors. A full disk or a lost connection is never one: those wait.
 */
function isMessageFault(error: unknown): boolean {
  const code = String((error as { cause?: { code?: unknown } })?.cause?.code ?? "");
  return (
    /^2[23][0-9A-Z]{3}$/.test(code) ||
    code === "54000" ||
    code === "SQLITE_TOOBIG" ||
    code === "SQLITE_MISMATCH" ||
    code.startsWith("SQLITE_CONSTRAINT")
  );
}
