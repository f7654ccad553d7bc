import { backoffDelay } from "../backoff.js";
import type { Logger } from "../logger.js";
import { silentLogger } from "../logger.js";
import type { Gap } from "../sequence.js";
import { readStoreExport } from "./store-export.js";

/** Where and how a subscriber fetches what it missed: option `recover` of `Bus.subscribe`. */
export interface RecoveryOptions {
  /** Query API URLs of message stores (`http://archive:9950`), asked in order until one answers. */
  stores: readonly string[];
  /** How long to wait before asking, so the stores have written what they received (default 1000 ms). */
  delayMs?: number;
  /** After a restart: fetch what was published on the subscribed patterns since this time, at once. */
  since?: Date;
  /** Told after every recovery: what was missed, what came back, from where. */
  onRecovered?: (report: RecoveryReport) => void;
  logger?: Logger;
}

/** The outcome of one recovery. */
export interface RecoveryReport {
  /** The topic of a gap, or the patterns of a catch-up after a restart. */
  topics: readonly string[];
  /** How many messages the gap said were lost (undefined for a catch-up: unknown). */
  missed?: number;
  /** How many messages came back that the subscriber had not seen. */
  recovered: number;
  /** The store that answered; undefined when none could. */
  store?: string;
}

/** Recovers messages for a subscription; `feed` admits one envelope and says whether it was new. */
export interface GapRecovery {
  /** Notes the time of an accepted message: where the next gap on its topic starts. */
  seen(topic: string, time: string): void;
  gap(gap: Gap): void;
  catchUp(patterns: readonly string[], since: Date): void;
  close(): void;
}

/** Slack before the last message seen: publishers' clocks differ a little. */
const clockSlackMs = 2000;
const attempts = 3;

/**
 * Gap recovery from stores (issue: "a subscriber that missed messages recovers them"). A gap names
 * a topic but not the ids lost, so the recovery asks for everything on that topic since the last
 * message seen there and lets the admission's duplicate filter drop what already arrived. Each
 * envelope is verified like a live one: a store is not trusted more than the bus. When fewer came
 * back than were missed (the stores may not have written them yet), it asks again, up to 3 times.
 */
export function createGapRecovery(options: RecoveryOptions, feed: (body: Buffer) => Promise<boolean>): GapRecovery {
  const logger = options.logger ?? silentLogger;
  const delay = options.delayMs ?? 1000;
  const lastSeen = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const abort = new AbortController();

  const fetchFrom = async (params: { topic: readonly string[]; start: number }): Promise<RecoveryReport> => {
    for (const store of options.stores) {
      let recovered = 0;
      try {
        for await (const body of readStoreExport(store, { ...params, start: params.start / 1000 }, abort.signal)) {
          if (await feed(body)) recovered++;
        }
        return { topics: params.topic, recovered, store };
      } catch (error) {
        if (abort.signal.aborted) break;
        logger.warn(`recovery: ${(error as Error).message}`);
      }
    }
    return { topics: params.topic, recovered: 0 };
  };

  const later = (ms: number, run: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run().catch((error: unknown) => logger.error(`recovery: ${(error as Error).message}`));
    }, ms);
    timers.add(timer);
  };

  const recoverGap = (gap: Gap, start: number, attempt: number, sofar: number): void =>
    later(backoffDelay(attempt - 1, { initialMs: delay }), async (): Promise<void> => {
      const report = await fetchFrom({ topic: [gap.topic], start });
      const recovered = sofar + report.recovered;
      if (recovered < gap.missed && attempt < attempts && !abort.signal.aborted)
        return recoverGap(gap, start, attempt + 1, recovered);
      options.onRecovered?.({ ...report, missed: gap.missed, recovered });
    });

  return {
    seen(topic, time) {
      const ms = Date.parse(time);
      if (ms > (lastSeen.get(topic) ?? 0)) lastSeen.set(topic, ms);
    },
    gap(gap) {
      const start = (lastSeen.get(gap.topic) ?? Date.now() - 5 * 60_000) - clockSlackMs;
      recoverGap(gap, start, 1, 0);
    },
    catchUp(patterns, since) {
      later(0, async () => {
        options.onRecovered?.(await fetchFrom({ topic: patterns, start: since.getTime() - clockSlackMs }));
      });
    },
    close() {
      abort.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
