import { randomBytes } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  existsSync,
  fdatasync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import type { HopStamp, Logger } from "@herald/sdk";
import { silentLogger } from "@herald/sdk";
import { createDuplicateFilter, type DuplicateFilter, makeDirectory } from "@herald/sdk/internal";
import { readJournal } from "./journal-reader.js";
import { headerLine, messageLine, sealLine } from "./journal-records.js";

/** Options of {@link openRelayJournal}. */
export interface RelayJournalOptions {
  /** The journal file (created with its folder; readable by its owner only). */
  file: string;
  /** How long an id is remembered (default 7 days): the relay refuses messages dated earlier. */
  windowMs?: number;
  /** The most ids remembered (default 500,000, about 50 MB): the oldest go first. */
  maxEntries?: number;
  /**
   * How many bytes of message bodies are kept for subscribers to fetch what they missed (default
   * 64 MiB, in memory and on disk); older messages are still remembered by id, not by content.
   */
  maxBodyBytes?: number;
  /** Told what opening found: a torn last record, damage and what it cost. */
  logger?: Logger;
}

/** One journaled message, as a subscriber fetches it. */
export interface JournaledMessage {
  sequence: number;
  body: Buffer;
}

/** What the journal holds of one topic's range: the messages, and where its memory begins. */
export interface JournalRange {
  messages: JournaledMessage[];
  /** The first sequence number of the topic still held; numbers before it can only come from stores. */
  heldFrom: number;
  /** The last number given out on the topic (0: none). */
  latest: number;
}

/**
 * The relay's memory, surviving SIGKILL: every accepted message is written and fsync'd before it
 * is acknowledged, numbered under a sender id that stays the relay's across restarts. A restart is
 * therefore a gap like any other, which subscribers fill from {@link RelayJournal.range}; the ids
 * are the persistent duplicate window.
 */
export interface RelayJournal extends DuplicateFilter {
  /** The relay's sender id: the same after every restart (a new one only after damage, so no number is reused). */
  readonly sender: string;
  readonly windowMs: number;
  /** Undefined while writes succeed; the last write's error since the last one that did not fail. */
  readonly failing: string | undefined;
  /**
   * Numbers and writes one accepted message. `durable` resolves once it is on disk (fsync'd with
   * whatever else arrived meanwhile): only then may it be acknowledged.
   */
  append(topic: string, id: string, body: Buffer): { stamp: HopStamp; durable: Promise<void> };
  /** The held messages of `topic` numbered `first..last`, at most `max` of them. */
  range(topic: string, first: number, last: number, max: number): JournalRange;
  /** The latest number of every topic whose messages are still held: what heartbeats announce. */
  held(): IterableIterator<[topic: string, stamp: HopStamp]>;
  /** Writes what waits and closes the file. */
  close(): Promise<void>;
}

interface Entry {
  topic: string;
  sequence: number;
  body: Buffer;
  id: string;
  /** When it was accepted (ms): ids are remembered for the window from then. */
  at: number;
}

/**
 * Opens (or creates) a relay journal (format: journal-records.ts). It is compacted on open and
 * whenever it has grown to twice what it holds. Opening verifies every record: a torn last line
 * (a kill mid-write, never acknowledged) is dropped; damage (a bad checksum, a file shorter than
 * what was synced) stops the reading there, is said with its offset and cost, the file is kept
 * beside as `<file>.damaged-<ms>`, and the journal numbers under a new sender id from then on.
 * @throws HeraldError `E_CONFIG` when the file is not a relay journal (it is left untouched).
 */
export function openRelayJournal(options: RelayJournalOptions): RelayJournal {
  const windowMs = options.windowMs ?? 7 * 24 * 3600_000;
  const maxEntries = options.maxEntries ?? 500_000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const logger = options.logger ?? silentLogger;
  const file = options.file;
  // The duplicate window, written down with the messages and read back at start.
  const ids = createDuplicateFilter({ windowMs, maxEntries });
  const counters = new Map<string, number>();
  // Bodies, oldest first, and per topic (sequences rise within a topic, so ranges are a binary search).
  const bodies: Entry[] = [];
  let bodiesHead = 0;
  let bodyBytes = 0;
  const byTopic = new Map<string, { entries: Entry[]; head: number }>();
  let sender = randomBytes(8).toString("hex");

  const hold = (entry: Entry) => {
    bodies.push(entry);
    bodyBytes += entry.body.length;
    let topic = byTopic.get(entry.topic);
    if (topic === undefined) {
      topic = { entries: [], head: 0 };
      byTopic.set(entry.topic, topic);
    }
    topic.entries.push(entry);
    while (bodyBytes > maxBodyBytes && bodiesHead < bodies.length) {
      // Let go at once: a slot before the head would keep its body until the array is trimmed.
      const old = bodies[bodiesHead]!;
      bodies[bodiesHead++] = released;
      bodyBytes -= old.body.length;
      const held = byTopic.get(old.topic)!;
      held.entries[held.head++] = released;
      if (held.head >= held.entries.length) byTopic.delete(old.topic);
      else if (held.head > 1024 && held.head * 2 > held.entries.length) {
        held.entries = held.entries.slice(held.head);
        held.head = 0;
      }
    }
    if (bodiesHead > 4096 && bodiesHead * 2 > bodies.length) {
      bodies.splice(0, bodiesHead);
      bodiesHead = 0;
    }
  };
  const endFile = `${file}.end`;
  // What opening found: whether the file may be appended to as it is if it cannot be rewritten.
  let opened: { appendable: boolean; validBytes: number } = { appendable: false, validBytes: 0 };
  if (existsSync(file)) opened = load();
  else makeDirectory(dirname(file));
  removeStaleTemporaries(file);

  function load(): { appendable: boolean; validBytes: number } {
    const synced = existsSync(endFile) ? Number(readFileSync(endFile, "utf8").trim()) || 0 : 0;
    const contents = readJournal(file, readFileSync(file), synced);
    if (contents.sender !== undefined) sender = contents.sender;
    for (const record of contents.records) {
      if (record.kind === "m") {
        const held = byTopic.get(record.topic)?.entries;
        if (!(record.sequence > (held?.[held.length - 1]?.sequence ?? 0))) continue;
        counters.set(record.topic, Math.max(counters.get(record.topic) ?? 0, record.sequence));
        ids.rememberAt(record.id, record.at);
        hold({ topic: record.topic, sequence: record.sequence, body: record.body, id: record.id, at: record.at });
      } else if (record.kind === "i") ids.rememberAt(record.id, record.at);
      else if (record.kind === "s")
        counters.set(record.topic, Math.max(counters.get(record.topic) ?? 0, record.sequence));
      else ids.forget(record.id);
    }
    if (contents.torn !== undefined)
      logger.info(
        `relay journal ${file}: dropped a torn last record (${contents.torn.bytes} bytes at byte ${contents.torn.offset}), written as the relay was stopped: it was never acknowledged`,
      );
    if (contents.damage !== undefined) {
      const { offset, droppedBytes, droppedLines, reason } = contents.damage;
      const kept = `${file}.damaged-${Date.now()}`;
      copyFileSync(file, kept);
      // Numbers after the damage may have been given out: a new sender id never reuses one.
      const previous = sender;
      sender = randomBytes(8).toString("hex");
      logger.error(
        `relay journal ${file} is damaged at byte ${offset}: ${reason}; dropped ${droppedBytes} bytes (${droppedLines} records) after it, so what they acknowledged is no longer held or known as a repeat. The file is kept as ${kept}; numbering continues as sender ${sender} (was ${previous}) so that no number is reused`,
      );
    }
    return { appendable: contents.version === 2 && contents.damage === undefined, validBytes: contents.validBytes };
  }

  /** Rewrites the file from memory: written beside it, fsync'd, then renamed over it. */
  const compact = () => {
    const temporary = `${file}.${process.pid}.tmp`;
    const out = openSync(temporary, "w", 0o600);
    let open = true;
    try {
      // Written in chunks: the whole file at once would be a string as large as the journal.
      let chunk: string[] = [headerLine(sender)];
      let chunkLength = 0;
      let written = 0;
      const put = (line: string) => {
        chunk.push(line);
        chunkLength += line.length;
        if (chunkLength > 1 << 20) flushChunk();
      };
      const flushChunk = () => {
        written += writeAll(out, Buffer.from(chunk.join("")));
        chunk = [];
        chunkLength = 0;
      };
      for (const [topic, sequence] of counters) put(sealLine(`s ${topic} ${sequence}`));
      const heldIds = new Set<string>();
      for (let index = bodiesHead; index < bodies.length; index++) heldIds.add(bodies[index]!.id);
      for (const [id, at] of ids.entries()) if (!heldIds.has(id)) put(sealLine(`i ${at} ${JSON.stringify(id)}`));
      for (let index = bodiesHead; index < bodies.length; index++) {
        const entry = bodies[index]!;
        put(messageLine(entry.at, entry.sequence, entry.topic, entry.body, entry.id));
        // Held but forgotten (its republish failed): a retry must be news again after a restart.
        if (!ids.has(entry.id)) put(sealLine(`f ${JSON.stringify(entry.id)}`));
      }
      flushChunk();
      fsyncSync(out);
      closeSync(out);
      open = false;
      renameSync(temporary, file);
      size = written;
      markSynced();
    } catch (error) {
      if (open) closeSync(out);
      rmSync(temporary, { force: true });
      throw error;
    }
    linesSinceCompaction = 0;
    linesAtCompaction = counters.size + ids.size + (bodies.length - bodiesHead);
  };
  // The file's length after the last sync: what the end mark says was synced, where a failed
  // write is cut back to.
  let size = 0;
  const endFd = openSync(endFile, "w", 0o600);
  // Not fsync'd: it guards against a file cut short while the machine runs (a kill, a truncation),
  // and the journal's own fsync comes first, so it never says more than the journal holds.
  const markSynced = () => writeSync(endFd, `${String(size).padStart(20, " ")}\n`, 0);
  let linesSinceCompaction = 0;
  let linesAtCompaction = 0;
  try {
    compact();
  } catch (error) {
    // A full disk: a sound file is kept as it is (a torn last record cut off) and appended to;
    // one that must be rewritten (damaged, or of an older format) cannot be used until there is room.
    if (!opened.appendable) throw error;
    logger.warn(`relay journal ${file}: could not rewrite it (${(error as Error).message}); appending to it as it is`);
    const existing = openSync(file, "r+");
    ftruncateSync(existing, opened.validBytes);
    closeSync(existing);
    size = opened.validBytes;
    markSynced();
  }
  let fd = openSync(file, "a", 0o600);
  // Lines wait in memory until the next sync writes them in one call: none is acknowledged before.
  let unwritten: string[] = [];
  const write = (line: string) => {
    unwritten.push(line);
    linesSinceCompaction++;
    if (!scheduled) {
      scheduled = true;
      setImmediate(sync);
    }
  };

  // Group commit: appends wait for the next fsync; one runs at a time, taking all that arrived.
  let waiting: Array<() => void> = [];
  let failing: Array<(error: Error) => void> = [];
  let lastError: string | undefined;
  let syncing = false;
  let scheduled = false;
  let closed = false;
  const sync = () => {
    scheduled = false;
    if (syncing || (waiting.length === 0 && unwritten.length === 0)) return;
    syncing = true;
    const resolves = waiting;
    const rejects = failing;
    waiting = [];
    failing = [];
    const done = (error: Error | null) => {
      syncing = false;
      if (error === null) {
        lastError = undefined;
        for (const resolve of resolves) resolve();
      } else {
        lastError = error.message;
        for (const reject of rejects) reject(error);
      }
      sync();
    };
    if (linesSinceCompaction > Math.max(100_000, linesAtCompaction)) {
      // Grown to twice what it holds: rewritten from memory (which includes every waiting line).
      try {
        unwritten = [];
        compact();
        closeSync(fd);
        fd = openSync(file, "a", 0o600);
        done(null);
      } catch (error) {
        done(error as Error);
      }
      return;
    }
    const data = Buffer.from(unwritten.join(""));
    unwritten = [];
    try {
      writeAll(fd, data);
    } catch (error) {
      done(cutBack(error as Error));
      return;
    }
    fdatasync(fd, (error) => {
      if (error !== null) return done(cutBack(error));
      size += data.length;
      try {
        markSynced();
      } catch {
        // The mark only guards against truncation; the lines are on disk.
      }
      done(null);
    });
  };
  /** After a failed write: the file is cut back to what was synced, so no torn line stays in it. */
  const cutBack = (error: Error) => {
    try {
      ftruncateSync(fd, size);
    } catch {
      // Reported with the write's own error.
    }
    return new Error(`the relay journal could not be written: ${error.message}`);
  };

  return {
    get sender() {
      return sender;
    },
    windowMs,
    get failing() {
      return lastError;
    },
    has: (id) => ids.has(id),
    remember: (id) => ids.remember(id),
    // The id is written with its message by append, so the check itself stays in memory.
    isRepeat: (id) => ids.isRepeat(id),
    forget(id) {
      ids.forget(id);
      write(sealLine(`f ${JSON.stringify(id)}`));
    },
    append(topic, id, body) {
      if (closed) throw new Error("the relay journal is closed");
      const sequence = (counters.get(topic) ?? 0) + 1;
      counters.set(topic, sequence);
      // A copy: the received frame may be a view into a much larger receive buffer, which holding
      // it would keep alive (ZeroMQ's zero-copy receive: about 8 KiB per message held).
      const entry: Entry = { topic, sequence, body: Buffer.from(body), id, at: Date.now() };
      write(messageLine(entry.at, sequence, topic, body, id));
      ids.rememberAt(id, entry.at);
      hold(entry);
      const durable = new Promise<void>((resolve, reject) => {
        waiting.push(resolve);
        failing.push(reject);
      });
      return { stamp: { sender, sequence }, durable };
    },
    range(topic, first, last, max) {
      const latest = counters.get(topic) ?? 0;
      const held = byTopic.get(topic);
      if (held === undefined || held.head >= held.entries.length) return { messages: [], heldFrom: latest + 1, latest };
      const { entries, head } = held;
      let low = head;
      let high = entries.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (entries[middle]!.sequence < first) low = middle + 1;
        else high = middle;
      }
      const messages: JournaledMessage[] = [];
      for (let index = low; index < entries.length && messages.length < max; index++) {
        const entry = entries[index]!;
        if (entry.sequence > last) break;
        messages.push({ sequence: entry.sequence, body: entry.body });
      }
      return { messages, heldFrom: entries[head]!.sequence, latest };
    },
    *held() {
      for (const [topic, { entries }] of byTopic)
        yield [topic, { sender, sequence: entries[entries.length - 1]!.sequence }];
    },
    async close() {
      if (closed) return;
      closed = true;
      while (syncing || waiting.length > 0 || unwritten.length > 0) {
        sync();
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      closeSync(fd);
      closeSync(endFd);
    },
  };
}

/** What fills the slot of an entry let go. */
const released: Entry = { topic: "", sequence: 0, body: Buffer.alloc(0), id: "", at: 0 };

/** Writes all of `data` (a write may take less than it was given: a full disk); returns its length. */
function writeAll(fd: number, data: Buffer): number {
  let offset = 0;
  while (offset < data.length) {
    const wrote = writeSync(fd, data, offset, data.length - offset);
    if (wrote <= 0) throw Object.assign(new Error("no space left (a write took nothing)"), { code: "ENOSPC" });
    offset += wrote;
  }
  return data.length;
}

/** Removes `<file>.<pid>.tmp` files a compaction left when it died (a kill, a full disk). */
function removeStaleTemporaries(file: string) {
  const name = basename(file);
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.[0-9]+\\.tmp$`);
  for (const entry of readdirSync(dirname(file)))
    if (pattern.test(entry)) {
      try {
        unlinkSync(join(dirname(file), entry));
      } catch {
        // Gone meanwhile.
      }
    }
}
