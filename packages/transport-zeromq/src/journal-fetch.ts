import { randomBytes } from "node:crypto";
import { createBackoff, type Gap } from "@herald/sdk";
import { Dealer } from "zeromq";
import type { FetchReply } from "./relay-protocol.js";

/** Options of {@link createJournalFetcher}. */
export interface JournalFetcherOptions {
  /** Relay inbound addresses whose journals may hold what a subscriber missed. */
  relays: readonly string[];
  /** How long one relay may take to answer, in milliseconds (default 3000). */
  timeoutMs?: number;
  /** The largest envelope accepted in an answer. */
  maxMessageBytes: number;
  /**
   * How long a fetch a relay stopped answering is asked again (default 10 minutes), with backoff:
   * a relay restarting mid-fetch still holds the range. Past it, what is left counts as lost.
   */
  retryForMs?: number;
}

/** Fetches exact sequence ranges from relays' journals. */
export interface JournalFetcher {
  /** The envelopes numbered `gap.firstMissing..gap.lastMissing` of the first relay that numbers as `gap.sender`. */
  fetch(gap: Gap, signal: AbortSignal): AsyncIterable<Buffer>;
  close(): void;
}

interface Answer {
  header: FetchReply;
  bodies: Buffer[];
}

/**
 * The subscriber's side of a relay journal: a gap names the sender and the numbers missing, so
 * the relay that numbers as that sender gives exactly those messages back, a thousand per
 * answer. One DEALER per relay, opened at the first gap and kept.
 */
export function createJournalFetcher(options: JournalFetcherOptions): JournalFetcher {
  const timeoutMs = options.timeoutMs ?? 3000;
  const sockets = new Map<
    string,
    { socket: Dealer; pending: Map<string, (answer: Answer) => void>; sending: Promise<unknown> }
  >();
  // Which relay answered for a sender last: asked first next time.
  const owner = new Map<string, string>();

  const connection = (address: string) => {
    let found = sockets.get(address);
    if (found !== undefined) return found;
    const socket = new Dealer({
      immediate: true,
      sendTimeout: timeoutMs,
      linger: 0,
      maxMessageSize: options.maxMessageBytes,
    });
    socket.connect(address);
    const pending = new Map<string, (answer: Answer) => void>();
    found = { socket, pending, sending: Promise.resolve() };
    sockets.set(address, found);
    void (async () => {
      try {
        for await (const [requestId, header, ...bodies] of socket) {
          const resolve = requestId === undefined ? undefined : pending.get(requestId.toString("latin1"));
          if (resolve === undefined || header === undefined) continue;
          try {
            resolve({ header: JSON.parse(header.toString("utf8")) as FetchReply, bodies });
          } catch {
            // Not an answer: the request times out.
          }
        }
      } catch {
        // Closed.
      }
    })();
    return found;
  };

  const ask = (address: string, request: object, signal: AbortSignal): Promise<Answer | undefined> => {
    const found = connection(address);
    const { socket, pending } = found;
    const requestId = randomBytes(8).toString("hex");
    return new Promise((resolve) => {
      const finish = (answer: Answer | undefined) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", abort);
        pending.delete(requestId);
        resolve(answer);
      };
      const abort = () => finish(undefined);
      const timer = setTimeout(abort, timeoutMs);
      signal.addEventListener("abort", abort);
      pending.set(requestId, finish);
      // A DEALER takes one blocking send at a time: chained.
      found.sending = found.sending.then(() => socket.send([requestId, "", JSON.stringify(request)])).catch(abort);
    });
  };

  const retryForMs = options.retryForMs ?? 10 * 60_000;
  return {
    async *fetch(gap, signal) {
      const deadline = Date.now() + retryForMs;
      const backoff = createBackoff({ initialMs: 500, maxMs: 10_000 });
      let first = gap.firstMissing;
      while (first <= gap.lastMissing && !signal.aborted) {
        const preferred = owner.get(gap.sender);
        const order =
          preferred === undefined ? options.relays : [preferred, ...options.relays.filter((a) => a !== preferred)];
        // Whether some relay may still hold the rest: one that numbers as the sender, or did not answer.
        let mayHold = false;
        for (const address of order) {
          let complete = false;
          while (first <= gap.lastMissing && !signal.aborted) {
            const answer = await ask(
              address,
              { sender: gap.sender, topic: gap.topic, first, last: gap.lastMissing },
              signal,
            );
            if (answer === undefined) {
              // No answer (a relay restarting, a cut): it may answer later.
              mayHold = true;
              break;
            }
            // Another sender's relay: the next one is asked.
            if (!answer.header.ok) break;
            owner.set(gap.sender, address);
            const { sequences } = answer.header;
            if (answer.bodies.length !== sequences.length) {
              mayHold = true;
              break;
            }
            yield* answer.bodies;
            backoff.reset();
            // Nothing from `first` on: the journal no longer holds the rest (stores may).
            if (sequences.length === 0) {
              complete = true;
              break;
            }
            first = (sequences[sequences.length - 1] as number) + 1;
          }
          if (complete || first > gap.lastMissing) return;
          if (mayHold) break;
        }
        // Asked again until the journal says what it holds, for as long as a restart may take.
        const wait = backoff.next();
        if (!mayHold || Date.now() + wait > deadline) return;
        await delay(wait, signal);
      }
    },
    close() {
      for (const { socket } of sockets.values()) socket.close();
      sockets.clear();
    },
  };
}

/** Waits `ms`, or until `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
