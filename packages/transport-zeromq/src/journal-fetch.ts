import { randomBytes } from "node:crypto";
import type { Gap } from "@herald/sdk";
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

  return {
    async *fetch(gap, signal) {
      const preferred = owner.get(gap.sender);
      const order =
        preferred === undefined ? options.relays : [preferred, ...options.relays.filter((a) => a !== preferred)];
      for (const address of order) {
        let first = gap.firstMissing;
        let answered = false;
        while (first <= gap.lastMissing && !signal.aborted) {
          const answer = await ask(
            address,
            { sender: gap.sender, topic: gap.topic, first, last: gap.lastMissing },
            signal,
          );
          if (answer === undefined || !answer.header.ok) break;
          answered = true;
          owner.set(gap.sender, address);
          const { sequences } = answer.header;
          yield* answer.bodies;
          if (sequences.length === 0 || answer.bodies.length !== sequences.length) break;
          first = (sequences[sequences.length - 1] as number) + 1;
        }
        if (answered) return;
      }
    },
    close() {
      for (const { socket } of sockets.values()) socket.close();
      sockets.clear();
    },
  };
}
