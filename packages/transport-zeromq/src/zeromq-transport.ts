import type { FrameHandler, Transport, TransportFrame, TransportSubscription } from "@herald/sdk";
import { compileTopicPattern, HeraldError } from "@herald/sdk";
import { createSequenceCounter, parseHopStamp } from "@herald/sdk/internal";
import { Publisher, Subscriber } from "zeromq";
import { translateZeroMqError } from "./zeromq-errors.js";

/** Options of {@link createZeroMqTransport}. */
export interface ZeroMqTransportOptions {
  /** Addresses the publishing socket binds, e.g. `tcp://*:9941`. Needed to send. */
  bind?: readonly string[];
  /** Addresses of publishers that subscriptions connect to. Needed to subscribe. */
  connect?: readonly string[];
  /** Messages queued per subscriber before ZeroMQ drops (and loss detection reports it). */
  sendHighWaterMark?: number;
  /** Messages queued on the receiving side before the publisher starts dropping for this subscriber. */
  receiveHighWaterMark?: number;
  /** Called with errors of a receive loop, which never stops the process. */
  onError?: (error: HeraldError) => void;
}

/** A ZeroMQ transport; `endpoints` are the addresses actually bound (a `*` port resolved). */
export interface ZeroMqTransport extends Transport {
  readonly endpoints: readonly string[];
}

/**
 * The brokerless default transport: PUB/SUB with the framing of PROTOCOL.md §5 (topic, envelope,
 * sequence stamp). Binds the publishing socket at once so subscribers can connect early.
 * @throws HeraldError `E_TRANSPORT` when an address cannot be bound.
 */
export async function createZeroMqTransport(options: ZeroMqTransportOptions = {}): Promise<ZeroMqTransport> {
  const highWater = options.sendHighWaterMark ?? 100_000;
  const publisher = options.bind?.length ? new Publisher({ sendHighWaterMark: highWater, linger: 2000 }) : undefined;
  const endpoints: string[] = [];
  for (const address of options.bind ?? []) {
    try {
      await publisher?.bind(address);
    } catch (cause) {
      publisher?.close();
      throw translateZeroMqError(cause, `cannot bind ${address}`);
    }
    endpoints.push(publisher?.lastEndpoint ?? address);
  }
  const counter = createSequenceCounter();
  const subscriptions = new Set<TransportSubscription>();
  let closed = false;

  return {
    name: "zeromq",
    endpoints,
    async send(topic, body) {
      if (closed) throw new HeraldError("E_CLOSED", "the ZeroMQ transport is closed");
      if (publisher === undefined)
        throw new HeraldError("E_CONFIG", "this ZeroMQ transport has no address to publish on (bind)");
      try {
        // A PUB socket never blocks: past the high-water mark it drops, and the stamp makes that visible.
        await publisher.send([topic, body, counter.next(topic)]);
      } catch (cause) {
        throw translateZeroMqError(cause, "cannot publish");
      }
    },
    async subscribe(patterns, handler) {
      if (closed) throw new HeraldError("E_CLOSED", "the ZeroMQ transport is closed");
      if (!options.connect?.length)
        throw new HeraldError("E_CONFIG", "this ZeroMQ transport has no address to subscribe to (connect)");
      const subscription = subscribeZeroMq(options.connect, patterns, handler, options);
      subscriptions.add(subscription);
      return {
        async close() {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      publisher?.close();
    },
  };
}

function subscribeZeroMq(
  addresses: readonly string[],
  patterns: readonly string[],
  handler: FrameHandler,
  options: ZeroMqTransportOptions,
): TransportSubscription {
  const socket = new Subscriber({ receiveHighWaterMark: options.receiveHighWaterMark ?? 100_000, linger: 0 });
  for (const address of addresses) {
    try {
      socket.connect(address);
    } catch (cause) {
      socket.close();
      throw translateZeroMqError(cause, `cannot connect to ${address}`);
    }
  }
  // ZeroMQ filters on a byte prefix; the Bus then matches the full pattern.
  for (const prefix of new Set(patterns.map((pattern) => compileTopicPattern(pattern).literalPrefix))) {
    socket.subscribe(prefix);
  }
  let closing = false;
  const loop = (async () => {
    try {
      // receive() directly rather than `for await`: one promise per message instead of two.
      while (!closing) {
        const frames = await socket.receive();
        try {
          // Awaiting only a real promise saves a turn of the event loop per message.
          const pending = handler(toFrame(frames));
          if (pending !== undefined) await pending;
        } catch (cause) {
          options.onError?.(translateZeroMqError(cause, "a message handler failed"));
        }
      }
    } catch (cause) {
      if (!closing) options.onError?.(translateZeroMqError(cause, "the subscription stopped"));
    }
  })();
  return {
    async close() {
      closing = true;
      socket.close();
      await loop;
    },
  };
}

/** Reads a multipart message. Garbage (one frame, extra frames) becomes a frame the Bus refuses or ignores. */
function toFrame(frames: Buffer[]): TransportFrame {
  const topic = frames[0]?.toString("utf8") ?? "";
  const body = frames[1] ?? Buffer.alloc(0);
  const stamp = frames[2] === undefined ? undefined : parseHopStamp(frames[2].toString("latin1"));
  return stamp === undefined ? { topic, body } : { topic, body, stamp };
}
