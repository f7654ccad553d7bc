import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { HopStamp, Logger } from "@herald/sdk";
import { makeDirectory } from "@herald/sdk/internal";

/** One series' high-water mark: the last number stored of a sender on a topic. */
export interface SeriesMark {
  sender: string;
  topic: string;
  sequence: number;
}

/**
 * A store's high-water marks per sender and topic, kept in a file beside its state, so that after a
 * restart the first message (or heartbeat) of each series is judged against what was stored
 * before, not taken as a new start: what was published while the store was down, or in the moment
 * it came up, is then a gap and fetched from the relay's journal.
 *
 * Marks are written only after their messages are committed, so the file never says more than the
 * database holds (a stale file only makes the store fetch again what it has, which it drops as
 * duplicates). At most `maxSeries` series are kept, the least recently advanced let go first.
 */
export interface SeriesMarks {
  /** The marks read at start. */
  readonly loaded: readonly SeriesMark[];
  /** Notes committed messages' numbers; the file is rewritten at most once a second. */
  committed(stamps: Iterable<[topic: string, stamp: HopStamp]>): void;
  /** Writes what changed and stops. */
  close(): void;
}

/** Marks files larger than this are not read (32 MiB: 100,000 series of long topics). */
const maxFileBytes = 32 * 1024 * 1024;

/** Opens the marks file (missing, unreadable or damaged: starts empty, with one line saying why). */
export function openSeriesMarks(file: string, logger: Logger, maxSeries = 100_000): SeriesMarks {
  const marks = new Map<string, SeriesMark>();
  const loaded = read(file, logger).slice(-maxSeries);
  for (const mark of loaded) marks.set(`${mark.sender}\u0000${mark.topic}`, mark);
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    try {
      makeDirectory(dirname(file));
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(
        temporary,
        JSON.stringify({ version: 1, series: [...marks.values()].map((m) => [m.sender, m.topic, m.sequence]) }),
        { mode: 0o600 },
      );
      renameSync(temporary, file);
    } catch (error) {
      logger.warn(`could not write the store's series marks ${file}: ${(error as Error).message}`);
    }
  };
  return {
    loaded,
    committed(stamps) {
      for (const [topic, stamp] of stamps) {
        const key = `${stamp.sender}\u0000${topic}`;
        const previous = marks.get(key);
        if (previous !== undefined && previous.sequence >= stamp.sequence) continue;
        marks.delete(key);
        marks.set(key, { sender: stamp.sender, topic, sequence: stamp.sequence });
        if (marks.size > maxSeries) marks.delete(marks.keys().next().value as string);
        dirty = true;
      }
      if (dirty) timer ??= setTimeout(write, 1000).unref();
    },
    close() {
      clearTimeout(timer);
      write();
    },
  };
}

function read(file: string, logger: Logger): SeriesMark[] {
  if (!existsSync(file)) return [];
  try {
    if (statSync(file).size > maxFileBytes) throw new Error(`larger than ${maxFileBytes} bytes`);
    const value = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown; series?: unknown };
    if (value.version !== 1 || !Array.isArray(value.series)) throw new Error("not a marks file of version 1");
    const marks: SeriesMark[] = [];
    for (const entry of value.series as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 3) continue;
      const [sender, topic, sequence] = entry as [unknown, unknown, unknown];
      if (
        typeof sender === "string" &&
        typeof topic === "string" &&
        Number.isSafeInteger(sequence) &&
        (sequence as number) > 0
      )
        marks.push({ sender, topic, sequence: sequence as number });
    }
    return marks;
  } catch (error) {
    logger.warn(`ignoring the store's series marks ${file} (${(error as Error).message}): starting each series afresh`);
    return [];
  }
}
