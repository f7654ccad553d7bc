/** Options of {@link createDuplicateFilter}. */
export interface DuplicateFilterOptions {
  /** How long an id is remembered, in milliseconds. Default: 10 minutes. */
  windowMs?: number;
  /** At most this many ids are remembered, oldest forgotten first. Default: 200,000. */
  maxEntries?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * Remembers the ids of accepted messages for a window so a repeated id is dropped. Only accepted
 * messages may be remembered: a forged copy must never suppress the genuine message with its id.
 */
export interface DuplicateFilter {
  /** True when `id` was remembered within the window. */
  has(id: string): boolean;
  /** Remembers an accepted message's id. */
  remember(id: string): void;
  /**
   * Both at once, on the hot path: true when `id` is a duplicate, else remembers it and returns
   * false. Call it only for accepted messages.
   */
  isRepeat(id: string): boolean;
  /** Forgets an id: its message failed on the way and may come again. */
  forget(id: string): void;
}

/**
 * A {@link DuplicateFilter} whose ids can be written down and read back with their times: what a
 * journal keeps across restarts (the relay's).
 */
export interface WindowedDuplicateFilter extends DuplicateFilter {
  /** Remembers an id accepted at `atMs` (read back from a journal); one older than the window is not kept. */
  rememberAt(id: string, atMs: number): void;
  /** The ids remembered, oldest first, with when each was accepted (ms). */
  entries(): IterableIterator<[id: string, atMs: number]>;
  readonly size: number;
}

/** Creates a {@link DuplicateFilter} bounded in time and in memory. */
export function createDuplicateFilter(options: DuplicateFilterOptions = {}): WindowedDuplicateFilter {
  const windowMs = options.windowMs ?? 10 * 60_000;
  const maxEntries = options.maxEntries ?? 200_000;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order, and ids are inserted once in time order: the head is the oldest.
  const seenAt = new Map<string, number>();
  let insertsSinceSweep = 0;

  // Sweeping expired ids now and then, not on every insert, keeps `remember` O(1) on the hot path.
  const sweep = (time: number) => {
    insertsSinceSweep = 0;
    for (const [id, at] of seenAt) {
      if (at >= time - windowMs) break;
      seenAt.delete(id);
    }
  };

  const remember = (id: string, time: number, stale: boolean) => {
    // A stale entry is moved to the tail so the head stays the oldest; a new id needs one insertion.
    if (stale) seenAt.delete(id);
    seenAt.set(id, time);
    if (seenAt.size > maxEntries) seenAt.delete(seenAt.keys().next().value as string);
    if (++insertsSinceSweep >= 1024) sweep(time);
  };

  return {
    isRepeat(id) {
      const time = now();
      const at = seenAt.get(id);
      if (at !== undefined && at >= time - windowMs) return true;
      remember(id, time, at !== undefined);
      return false;
    },
    has(id) {
      const at = seenAt.get(id);
      return at !== undefined && at >= now() - windowMs;
    },
    remember(id) {
      remember(id, now(), seenAt.has(id));
    },
    forget(id) {
      seenAt.delete(id);
    },
    rememberAt(id, atMs) {
      if (atMs >= now() - windowMs) remember(id, atMs, seenAt.has(id));
    },
    entries: () => seenAt.entries(),
    get size() {
      return seenAt.size;
    },
  };
}
