import type { Envelope } from "../envelope.js";
import { HeraldError } from "../errors.js";
import { createSequenceCounter, parseHopStamp } from "../sequence.js";
import { compileTopicPatterns } from "../topic-pattern.js";
import type { FrameHandler, Transport, TransportFrame } from "../transport.js";

/** A message a memory transport sent, parsed for assertions. */
export interface SentMessage {
  topic: string;
  body: Buffer;
  envelope: Envelope;
}

/** Several memory transports that deliver to each other, like sockets on one machine. */
export interface MemoryNetwork {
  /** Delivers one frame to every matching subscription of every transport on the network. */
  deliver(frame: TransportFrame): Promise<void>;
  attach(deliver: (frame: TransportFrame) => Promise<void>): () => void;
}

/** Creates an empty {@link MemoryNetwork}. */
export function createMemoryNetwork(): MemoryNetwork {
  const receivers = new Set<(frame: TransportFrame) => Promise<void>>();
  return {
    async deliver(frame) {
      await Promise.all([...receivers].map((receive) => receive(frame)));
    },
    attach(receive) {
      receivers.add(receive);
      return () => receivers.delete(receive);
    },
  };
}

/** The in-memory transport, with what it sent kept for assertions. */
export interface MemoryTransport extends Transport {
  /** Every message sent through this transport, in order. */
  readonly sent: readonly SentMessage[];
  /** Delivers a raw frame to subscribers as if it arrived from the network (garbage included). */
  inject(topic: string, body: Buffer | string, stampFrame?: string): Promise<void>;
}

/**
 * A transport that keeps everything in memory, for an application's own tests: publish through a
 * Bus on it and assert on `sent`; or give two Buses transports on one network to test a consumer.
 * Subscriptions on the same network (this transport's own included) receive what is sent.
 */
export function createMemoryTransport(options: { network?: MemoryNetwork } = {}): MemoryTransport {
  const network = options.network ?? createMemoryNetwork();
  const counter = createSequenceCounter();
  const sent: SentMessage[] = [];
  const detachers = new Set<() => void>();
  let closed = false;

  return {
    name: "memory",
    sent,
    async send(topic, body, _id, given) {
      if (closed) throw new HeraldError("E_CLOSED", "the memory transport is closed");
      sent.push({ topic, body, envelope: JSON.parse(body.toString("utf8")) as Envelope });
      const stamp = given ?? parseHopStamp(counter.next(topic));
      await network.deliver(stamp === undefined ? { topic, body } : { topic, body, stamp });
    },
    async inject(topic, body, stampFrame) {
      const stamp = stampFrame === undefined ? undefined : parseHopStamp(stampFrame);
      const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
      await network.deliver(stamp === undefined ? { topic, body: buffer } : { topic, body: buffer, stamp });
    },
    async subscribe(patterns, handler: FrameHandler) {
      if (closed) throw new HeraldError("E_CLOSED", "the memory transport is closed");
      const matches = compileTopicPatterns(patterns);
      // Frames reach one handler one at a time, in order, as on a socket.
      let chain: Promise<void> = Promise.resolve();
      const detach = network.attach((frame) => {
        if (!matches(frame.topic)) return Promise.resolve();
        // Queued, not awaited: a test may publish many messages before it starts reading.
        chain = chain.then(() => handler(frame)).catch(() => undefined);
        return Promise.resolve();
      });
      detachers.add(detach);
      return {
        async close() {
          detachers.delete(detach);
          detach();
        },
      };
    },
    async close() {
      closed = true;
      for (const detach of detachers) detach();
      detachers.clear();
    },
  };
}
