import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fdatasync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { HopStamp } from "@herald/sdk";
import { createDuplicateFilter, type DuplicateFilter, makeDirectory } from "@herald/sdk/internal";

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
 * double as the persistent duplicate window.
 */
export interface RelayJournal extends DuplicateFilter {
  /** The relay's sender id: the same after every restart. */
  readonly sender: string;
  readonly windowMs: number;
  /**
   * Numbers and writes one accepted message. `durable` resolves once it is on disk (fsync'd with
   * whatever else arrived meanwhile): only then may it be acknowledged.
   */
  append(topic: string, id: string, body: Buffer): { stamp: HopStamp; durable: Promise<void> };
  /** The held messages of `topic` numbered `first..last`, at most `max` of them. */
  range(topic: string, first: number, last: number, max: number): JournalRange;
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

const header = "herald-relay-journal 1";

/**
 * Opens (or creates) a relay journal. The file is a log of lines, compacted on open and whenever it
 * has grown to twice what it holds: `m <ms> <seq> <topic> <base64 body> <JSON id>` per message,
 * `i <ms> <JSON id>` for an id whose body was let go, `s <topic> <seq>` for a topic's counter,
 * `f <JSON id>` for an id forgotten (its republish failed). A torn last line (SIGKILL mid-write)
 * is skipped: it was never acknowledged.
 */
export function openRelayJournal(options: RelayJournalOptions): RelayJournal {
  const windowMs = options.windowMs ?? 7 * 24 * 3600_000;
  const maxEntries = options.maxEntries ?? 500_000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const filter = createDuplicateFilter({ windowMs, maxEntries });
  const ids = new Map<string, number>();
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
    const topic = byTopic.get(entry.topic) ?? { entries: [], head: 0 };
    byTopic.set(entry.topic, topic);
    topic.entries.push(entry);
    while (bodyBytes > maxBodyBytes && bodiesHead < bodies.length) {
      const old = bodies[bodiesHead++]!;
      bodyBytes -= old.body.length;
      const held = byTopic.get(old.topic)!;
      held.head++;
      if (held.head > 1024 && held.head * 2 > held.entries.length) {
        held.entries = held.entries.slice(held.head);
        held.head = 0;
      }
    }
    if (bodiesHead > 4096 && bodiesHead * 2 > bodies.length) {
      bodies.splice(0, bodiesHead);
      bodiesHead = 0;
    }
  };
  const rememberId = (id: string, at: number) => {
    ids.delete(id);
    ids.set(id, at);
    if (ids.size > maxEntries) ids.delete(ids.keys().next().value as string);
  };

  if (existsSync(options.file)) load(readFileSync(options.file, "utf8"));
  else makeDirectory(dirname(options.file));

  function load(text: string) {
    const lines = text.split("\n");
    // A file of an earlier version held ids only (`<ms> <id>`, `- <id>`): its ids are kept.
    const legacy = !lines[0]?.startsWith(header);
    if (!legacy) sender = lines[0]!.slice(header.length + 1) || sender;
    const horizon = Date.now() - windowMs;
    for (const line of lines.slice(legacy ? 0 : 1)) {
      try {
        const fields = line.split(" ");
        if (legacy) {
          const space = line.indexOf(" ");
          if (space < 0) continue;
          const [head, id] = [line.slice(0, space), line.slice(space + 1)];
          if (head === "-") ids.delete(id);
          else if (Number(head) >= horizon) rememberId(id, Number(head));
        } else if (fields[0] === "m" && fields.length >= 6) {
          const [, at, sequence, topic, body] = fields as [string, string, string, string, string];
          const id = JSON.parse(fields.slice(5).join(" ")) as string;
          const seq = Number(sequence);
          const held = byTopic.get(topic)?.entries;
          if (!(seq > (held?.[held.length - 1]?.sequence ?? 0))) continue;
          counters.set(topic, Math.max(counters.get(topic) ?? 0, seq));
          if (Number(at) >= horizon) rememberId(id, Number(at));
          hold({ topic, sequence: seq, body: Buffer.from(body, "base64"), id, at: Number(at) });
        } else if (fields[0] === "i" && fields.length >= 3) {
          if (Number(fields[1]) >= horizon)
            rememberId(JSON.parse(fields.slice(2).join(" ")) as string, Number(fields[1]));
        } else if (fields[0] === "s" && fields.length === 3) {
          counters.set(fields[1]!, Math.max(counters.get(fields[1]!) ?? 0, Number(fields[2])));
        } else if (fields[0] === "f" && fields.length >= 2) {
          ids.delete(JSON.parse(fields.slice(1).join(" ")) as string);
        }
      } catch {
        // A torn or foreign line: skipped, never fatal.
      }
    }
  }

  const compact = () => {
    const lines: string[] = [`${header} ${sender}`];
    for (const [topic, sequence] of counters) lines.push(`s ${topic} ${sequence}`);
    const held = new Set<string>();
    for (let index = bodiesHead; index < bodies.length; index++) held.add(bodies[index]!.id);
    for (const [id, at] of ids) if (!held.has(id)) lines.push(`i ${at} ${JSON.stringify(id)}`);
    for (let index = bodiesHead; index < bodies.length; index++) {
      const entry = bodies[index]!;
      lines.push(messageLine(entry));
      // Held but forgotten (its republish failed): a retry must be news again after a restart.
      if (!ids.has(entry.id)) lines.push(`f ${JSON.stringify(entry.id)}`);
    }
    const temporary = `${options.file}.${process.pid}.tmp`;
    const out = openSync(temporary, "w", 0o600);
    writeSync(out, `${lines.join("\n")}\n`);
    fsyncSync(out);
    closeSync(out);
    renameSync(temporary, options.file);
    linesSinceCompaction = 0;
    linesAtCompaction = lines.length;
  };
  let linesSinceCompaction = 0;
  let linesAtCompaction = 0;
  compact();
  for (const [id] of ids) filter.remember(id);
  let fd = openSync(options.file, "a", 0o600);
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
      if (error === null) for (const resolve of resolves) resolve();
      else for (const reject of rejects) reject(error);
      sync();
    };
    if (linesSinceCompaction > Math.max(100_000, linesAtCompaction)) {
      // Grown to twice what it holds: rewritten from memory (which includes every waiting line).
      try {
        unwritten = [];
        compact();
        closeSync(fd);
        fd = openSync(options.file, "a", 0o600);
        done(null);
      } catch (error) {
        done(error as Error);
      }
      return;
    }
    try {
      const lines = unwritten;
      unwritten = [];
      writeSync(fd, lines.join(""));
    } catch (error) {
      done(error as Error);
      return;
    }
    fdatasync(fd, done);
  };

  return {
    get sender() {
      return sender;
    },
    windowMs,
    has: (id) => filter.has(id),
    remember: (id) => filter.remember(id),
    // The id is written with its message by append, so the check itself stays in memory.
    isRepeat: (id) => filter.isRepeat(id),
    forget(id) {
      filter.forget(id);
      ids.delete(id);
      write(`f ${JSON.stringify(id)}\n`);
    },
    append(topic, id, body) {
      if (closed) throw new Error("the relay journal is closed");
      const sequence = (counters.get(topic) ?? 0) + 1;
      counters.set(topic, sequence);
      const entry: Entry = { topic, sequence, body, id, at: Date.now() };
      write(`${messageLine(entry)}\n`);
      rememberId(id, entry.at);
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
    async close() {
      if (closed) return;
      closed = true;
      while (syncing || waiting.length > 0 || unwritten.length > 0) {
        sync();
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      closeSync(fd);
    },
  };
}

const messageLine = (entry: Entry) =>
  `m ${entry.at} ${entry.sequence} ${entry.topic} ${entry.body.toString("base64")} ${JSON.stringify(entry.id)}`;
