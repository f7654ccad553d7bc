import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { createDuplicateFilter, type DuplicateFilter } from "@herald/sdk/internal";

/** Options of {@link openReplayJournal}. */
export interface ReplayJournalOptions {
  /** The file of ids: one `<received ms> <id>` line each, `- <id>` for one forgotten. */
  file: string;
  /** How long an id is remembered (default 7 days): the relay refuses messages dated earlier. */
  windowMs?: number;
  /** The most ids remembered (default 500,000, about 50 MB): the oldest go first. */
  maxEntries?: number;
}

/** A duplicate filter kept on disk, and what it costs. */
export interface ReplayJournal extends DuplicateFilter {
  readonly windowMs: number;
  close(): void;
}

/**
 * The relay's memory of the ids it accepted, surviving restarts: an archived envelope posted
 * again after a restart is acknowledged as a repeat and not republished (in memory alone, it was
 * news again, and triggers ran twice). Each id is appended as it is accepted, one write per
 * message; the file is compacted to the window on start. A crash can lose the last lines the
 * system had not yet written; the relay's journal of the reliability work fsyncs them.
 */
export function openReplayJournal(options: ReplayJournalOptions): ReplayJournal {
  const windowMs = options.windowMs ?? 7 * 24 * 3600_000;
  const maxEntries = options.maxEntries ?? 500_000;
  const filter = createDuplicateFilter({ windowMs, maxEntries });
  const kept = new Map<string, number>();
  if (existsSync(options.file)) {
    const horizon = Date.now() - windowMs;
    for (const line of readFileSync(options.file, "utf8").split("\n")) {
      const space = line.indexOf(" ");
      if (space < 0) continue;
      const [head, id] = [line.slice(0, space), line.slice(space + 1)];
      if (head === "-") kept.delete(id);
      else if (Number(head) >= horizon) kept.set(id, Number(head));
    }
  } else mkdirSync(dirname(options.file), { recursive: true });
  // Compacted: only what is still inside the window, oldest first, at most maxEntries.
  const entries = [...kept].slice(-maxEntries);
  const temporary = `${options.file}.${process.pid}.tmp`;
  const out = openSync(temporary, "w", 0o600);
  writeSync(out, entries.map(([id, at]) => `${at} ${id}\n`).join(""));
  closeSync(out);
  renameSync(temporary, options.file);
  for (const [id] of entries) filter.remember(id);
  const fd = openSync(options.file, "a", 0o600);
  const append = (line: string) => writeSync(fd, line);

  return {
    windowMs,
    has: (id) => filter.has(id),
    remember(id) {
      filter.remember(id);
      append(`${Date.now()} ${id}\n`);
    },
    isRepeat(id) {
      if (filter.isRepeat(id)) return true;
      append(`${Date.now()} ${id}\n`);
      return false;
    },
    forget(id) {
      filter.forget(id);
      append(`- ${id}\n`);
    },
    close: () => closeSync(fd),
  };
}
