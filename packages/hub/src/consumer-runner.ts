import { backoffDelay, type Logger } from "@herald/sdk";
import type { AnyConsumer, AnyConsumerMessage, ConsumerContext } from "./define-consumer.js";
import type { ConsumerLimits } from "./hub-config.js";

/** Counters of one hosted consumer, read by `/metrics` and `/healthz`. */
export interface ConsumerStats {
  /** Messages whose handler succeeded (on any attempt). */
  handled: number;
  /** Messages that failed every attempt. */
  failed: number;
  /** Attempts after the first. */
  retries: number;
  /** Attempts that ran past `timeoutMs`. */
  timeouts: number;
  /** Handlers running now. */
  inFlight: number;
  /** Messages waiting for a free slot. */
  waiting: number;
}

/** `running`, or `isolated` after `isolateAfter` messages failed in a row. */
export type ConsumerState = "running" | "isolated";

/** How one message ended: handled, failed every attempt, or dropped because the consumer was isolated. */
export type Outcome = "handled" | "failed" | "isolated";

/** Runs one consumer's handler under its limits. */
export interface ConsumerRunner {
  readonly name: string;
  readonly stats: Readonly<ConsumerStats>;
  readonly state: ConsumerState;
  /** Why it was isolated: the last error. */
  readonly lastError: string | undefined;
  /**
   * Waits for a free slot, starts the message, and resolves with a promise of its outcome: the
   * caller may wait for the outcome (to acknowledge after it) or only for the slot.
   */
  submit(message: AnyConsumerMessage): Promise<{ outcome: Promise<Outcome> }>;
  /** Puts an isolated consumer back to work. */
  resume(): void;
  /** Aborts running handlers (their signal) and refuses new work. */
  stop(): void;
}

/** Hooks of {@link createConsumerRunner}. */
export interface RunnerHooks {
  logger: Logger;
  settings: Readonly<Record<string, unknown>>;
  publish?: ConsumerContext["publish"];
  /** Called once when the consumer becomes isolated. */
  onIsolated?: (reason: string) => void;
}

/**
 * Runs a consumer's handler with a concurrency limit, a timeout per attempt (the handler's signal
 * is aborted), retries with exponential backoff, and isolation: after `isolateAfter` messages in
 * a row failed every attempt, the consumer stops taking messages until resumed, so one broken
 * consumer costs the hub nothing more.
 */
export function createConsumerRunner(
  consumer: AnyConsumer,
  limits: ConsumerLimits,
  hooks: RunnerHooks,
): ConsumerRunner {
  const stats: ConsumerStats = { handled: 0, failed: 0, retries: 0, timeouts: 0, inFlight: 0, waiting: 0 };
  const stopping = new AbortController();
  const slotWaiters: (() => void)[] = [];
  let state: ConsumerState = "running";
  let failedInARow = 0;
  let lastError: string | undefined;

  const takeSlot = async () => {
    if (stats.inFlight < limits.concurrency) {
      stats.inFlight++;
      return;
    }
    stats.waiting++;
    await new Promise<void>((resolve) => slotWaiters.push(resolve));
    stats.waiting--;
  };
  const releaseSlot = () => {
    const next = slotWaiters.shift();
    // The slot passes straight to the next waiter, so inFlight stays the same.
    if (next === undefined) stats.inFlight--;
    else next();
  };

  const attemptOnce = async (message: AnyConsumerMessage, attempt: number) => {
    // One controller per attempt, aborted by its own timer or by the hub stopping. (Not
    // AbortSignal.any: on Node 20 the signals it combines are kept alive, which a long-running hub
    // making millions of attempts cannot afford.)
    const attemptController = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attemptController.abort(new Error(`timed out after ${limits.timeoutMs} ms`));
    }, limits.timeoutMs);
    const stop = () => attemptController.abort(stopping.signal.reason);
    stopping.signal.addEventListener("abort", stop, { once: true });
    const { signal } = attemptController;
    const context: ConsumerContext = { settings: hooks.settings, logger: hooks.logger, signal, attempt };
    if (hooks.publish !== undefined) context.publish = hooks.publish;
    // A handler that ignores its signal is abandoned at the deadline, so it cannot hold its slot forever.
    const deadline = new Promise<never>((_, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    try {
      await Promise.race([Promise.resolve().then(() => consumer.handle(message, context)), deadline]);
    } catch (error) {
      if (timedOut) {
        stats.timeouts++;
        throw new Error(`timed out after ${limits.timeoutMs} ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      stopping.signal.removeEventListener("abort", stop);
    }
  };

  const run = async (message: AnyConsumerMessage): Promise<Outcome> => {
    try {
      for (let attempt = 1; ; attempt++) {
        if (state === "isolated" || stopping.signal.aborted) return "isolated";
        try {
          await attemptOnce(message, attempt);
          stats.handled++;
          failedInARow = 0;
          return "handled";
        } catch (error) {
          lastError = error instanceof Error ? error.message : String(error);
          if (attempt >= limits.attempts) break;
          stats.retries++;
          const delay = backoffDelay(attempt - 1, { initialMs: limits.retryDelayMs });
          hooks.logger.warn(
            `${message.envelope.id}: attempt ${attempt} failed (${lastError}); retrying in ${delay} ms`,
          );
          await sleep(delay, stopping.signal);
        }
      }
      stats.failed++;
      failedInARow++;
      hooks.logger.error(`${message.envelope.id} (${message.topic}) failed ${limits.attempts} time(s): ${lastError}`);
      if (failedInARow >= limits.isolateAfter && state === "running") {
        state = "isolated";
        const reason = `${failedInARow} messages in a row failed; last: ${lastError}`;
        hooks.logger.error(`isolated: ${reason}`);
        hooks.onIsolated?.(reason);
      }
      return "failed";
    } finally {
      releaseSlot();
    }
  };

  return {
    name: consumer.name,
    stats,
    get state() {
      return state;
    },
    get lastError() {
      return lastError;
    },
    async submit(message) {
      await takeSlot();
      // Wrapped: an async function returning a bare promise would wait for it.
      return { outcome: run(message) };
    },
    resume() {
      state = "running";
      failedInARow = 0;
    },
    stop() {
      stopping.abort(new Error("the hub is stopping"));
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
