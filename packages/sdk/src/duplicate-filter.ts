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
}

/** Creates a {@link DuplicateFilter} bounded in time and in memory. */
export function createDuplicateFilter(options: DuplicateFilterOptions = {}): DuplicateFilter {
  const windowMs = options.windowMs ?? 10 * 60_000;
  const maxEntries = options.maxEntries ?? 200_000;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order, and ids are inserted once in time order: the head is the oldest.
  const seenAt = new Map<string, number>();

  const evict = (time: number) => {
    for (const [id, at] of seenAt) {
      if (seenAt.size <= maxEntries && at >= time - windowMs) break;
      seenAt.delete(id);
    }
  };

  return {
    has(id) {
      const at = seenAt.get(id);
      return at !== undefined && at >= now() - windowMs;
    },
    remember(id) {
      const time = now();
      seenAt.delete(id);
      seenAt.set(id, time);
      evict(time);
    },
  };
}
