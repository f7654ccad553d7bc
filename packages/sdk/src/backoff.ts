/** Options of {@link createBackoff}. */
export interface BackoffOptions {
  /** The first delay, in milliseconds. */
  initialMs: number;
  /** The longest delay (default: no limit). */
  maxMs?: number;
  /** Each delay is this many times the one before (default 2). */
  factor?: number;
  /**
   * The share of each delay drawn at random (default 0.2): a delay is between `(1 - jitter)` and
   * 1 times its exponential value, so many clients that failed together do not retry together.
   * Never longer than the exponential value, so a caller can still bound its waits.
   */
  jitter?: number;
}

/** A sequence of retry delays; see {@link createBackoff}. */
export interface Backoff {
  /** The delay before the next attempt, and counts it. */
  next(): number;
  /** After a success: the next delay is the initial one again. */
  reset(): void;
  /** Delays handed out since the last reset. */
  readonly attempts: number;
}

/**
 * Exponential backoff with jitter, the one retry rhythm of Herald's reconnections and retries
 * (IRC, the store's writes, hub retries, gap recovery).
 */
export function createBackoff(options: BackoffOptions): Backoff {
  let attempts = 0;
  return {
    next() {
      const delay = backoffDelay(attempts, options);
      attempts++;
      return delay;
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}

/**
 * The delay before retry number `retry` (0 for the first retry) of {@link createBackoff}, for a
 * caller that counts attempts itself.
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = options.initialMs * (options.factor ?? 2) ** retry;
  const capped = Math.min(exponential, options.maxMs ?? Number.POSITIVE_INFINITY);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
  return Math.round(capped * (1 - jitter * random()));
}
