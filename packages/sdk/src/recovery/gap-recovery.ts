import { setMaxListeners } from "node:events";
import { backoffDelay } from "../backoff.js";
import type { Logger } from "../logger.js";
import { silentLogger } from "../logger.js";
import type { Gap } from "../sequence.js";
import { readStoreExport } from "./store-export.js";

/** Where and how a subscriber fetches what it missed: option `recover` of `Bus.subscribe`. */
export interface RecoveryOptions {
  /**
   * Query API URLs of message stores (`http://archive:9950`), asked in order until one answers,
   * for what no relay journal holds. Without stores only journals are asked.
   */
  stores?: readonly string[];
  /**
   * The most messages one gap may bring back (default 100,000): a subscriber stopped for hours
   * catches up by `since` or `herald replay`, not by flooding its handler.
   */
  maxPerGap?: number;
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
  /** The store that answered; undefined when none could (or the journal gave everything). */
  store?: string;
  /** How many came back from the sending relay's journal, by their exact numbers. */
  fromJournal?: number;
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

/** Fetches a gap's exact numbers from the sending hop's journal (`Transport.fetchMissed`). */
export type JournalFetch = (gap: Gap, signal: AbortSignal) => AsyncIterable<Buffer>;

/**
 * Gap recovery. A gap names the sender and the numbers missed: the relay that numbered them is
 * asked for exactly those first (its journal), and stores fill what it no longer holds. A store
 * knows no numbers, so it is asked for the topic between the last message seen there and the
 * moment the gap showed, and the admission's duplicate filter drops what already arrived. Each
 * envelope is verified like a live one: neither is trusted more than the bus. When fewer came back
 * than were missed (the stores may not have written them yet), the stores are asked again, up to 3
 * times. No gap brings back more than `maxPerGap` messages.
 */
export function createGapRecovery(
  options: RecoveryOptions,
  feed: (body: Buffer) => Promise<boolean>,
  journal?: JournalFetch,
): GapRecovery {
  const logger = options.logger ?? silentLogger;
  const delay = options.delayMs ?? 1000;
  const stores = options.stores ?? [];
  const maxPerGap = options.maxPerGap ?? 100_000;
  const lastSeen = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const abort = new AbortController();
  // One signal for every recovery of the subscription: forty gaps at once are forty listeners.
  setMaxListeners(0, abort.signal);

  const fetchFrom = async (
    params: { topic: readonly string[]; start: number; end?: number },
    limit = Number.POSITIVE_INFINITY,
  ): Promise<RecoveryReport> => {
    for (const store of stores) {
      let recovered = 0;
      let read = 0;
      const query = {
        ...params,
        start: params.start / 1000,
        end: params.end === undefined ? undefined : params.end / 1000,
      };
      try {
        for await (const body of readStoreExport(store, query, abort.signal)) {
          if (await feed(body)) recovered++;
          if (++read >= limit) break;
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

  const fromJournal = async (gap: Gap): Promise<number> => {
    if (journal === undefined) return 0;
    let recovered = 0;
    let read = 0;
    try {
      for await (const body of journal(gap, abort.signal)) {
        if (await feed(body)) recovered++;
        if (++read >= Math.min(gap.missed, maxPerGap)) break;
      }
    } catch (error) {
      if (!abort.signal.aborted) logger.warn(`recovery from the relay journal: ${(error as Error).message}`);
    }
    return recovered;
  };

  const recoverGap = (
    gap: Gap,
    window: { start: number; end: number },
    attempt: number,
    sofar: number,
    journaled: number,
  ): void =>
    later(backoffDelay(attempt - 1, { initialMs: delay }), async (): Promise<void> => {
      const report = await fetchFrom({ topic: [gap.topic], ...window }, maxPerGap - sofar);
      const recovered = sofar + report.recovered;
      if (recovered < gap.missed && recovered < maxPerGap && attempt < attempts && !abort.signal.aborted)
        return recoverGap(gap, window, attempt + 1, recovered, journaled);
      options.onRecovered?.({ ...report, missed: gap.missed, recovered, fromJournal: journaled });
    });

  return {
    seen(topic, time) {
      const ms = Date.parse(time);
      if (ms > (lastSeen.get(topic) ?? 0)) lastSeen.set(topic, ms);
    },
    gap(gap) {
      const start = (lastSeen.get(gap.topic) ?? Date.now() - 5 * 60_000) - clockSlackMs;
      // The message that showed the gap arrived now: what was missed was published before it.
      const window = { start, end: Date.now() + clockSlackMs };
      later(0, async () => {
        const journaled = await fromJournal(gap);
        if (journaled >= gap.missed || stores.length === 0 || abort.signal.aborted) {
          if (journaled > 0 || stores.length === 0)
            options.onRecovered?.({
              topics: [gap.topic],
              missed: gap.missed,
              recovered: journaled,
              fromJournal: journaled,
            });
          return;
        }
        recoverGap(gap, window, 1, journaled, journaled);
      });
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
