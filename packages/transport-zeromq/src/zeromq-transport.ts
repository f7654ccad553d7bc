import type { FrameHandler, Transport, TransportFrame, TransportSubscription } from "@herald/sdk";
import { type Backoff, compileTopicPattern, createBackoff, defaultMaxMessageBytes, HeraldError } from "@herald/sdk";
import { createSequenceCounter, parseHopStamp } from "@herald/sdk/internal";
import { Subscriber, XPublisher } from "zeromq";
import { createHeartbeats, heartbeatTopic, readHeartbeat } from "./heartbeat.js";
import { createJournalFetcher, type JournalFetcher } from "./journal-fetch.js";
import { countSubscribers } from "./subscriber-count.js";
import { translateZeroMqError } from "./zeromq-errors.js";

async function* emptyFetch(): AsyncIterable<Buffer> {}

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
  /**
   * The largest frame the subscribing socket accepts (default 1 MiB): a publisher that sends a
   * larger one is disconnected by ZeroMQ before the frame is held in memory.
   */
  maxMessageBytes?: number;
  /**
   * How often the publishing socket says the latest number it sent on each topic active in the
   * last minute, and on each topic a journal holds (`announceHeld`) (default 2000 ms; 0: never),
   * so a subscriber notices the silent tail of a burst it lost (PROTOCOL.md §5, heartbeats: see docs/protocol-heartbeats.md).
   */
  heartbeatMs?: number;
  /**
   * Relay inbound addresses (`relays` of the configuration) whose journals a subscriber asks for
   * exactly the messages a gap says it missed.
   */
  relays?: readonly string[];
  /**
   * How long a subscription's address may go without a connected publisher (nothing listens, it
   * never completes a handshake, it went away) before `connected` says false (default 10,000 ms).
   */
  unreachableAfterMs?: number;
  /** Called with errors of a receive loop, which never stops the process. */
  onError?: (error: HeraldError) => void;
}

/** A ZeroMQ transport; `endpoints` are the addresses actually bound (a `*` port resolved). */
export interface ZeroMqTransport extends Transport {
  readonly endpoints: readonly string[];
  /** False while a subscription's connection failed its handshake or was cut and not restored. */
  readonly connected: boolean;
  /**
   * Herald subscribers connected to the publishing socket now: each subscribes the heartbeat topic
   * once, after its topic prefixes, so one counted here has all its subscriptions in place and
   * receives what is sent from now on (the readiness a slow-joining subscriber otherwise lacks).
   * Undefined for a transport that binds no publishing socket.
   */
  readonly subscribers: number | undefined;
}

interface ZeroMqSubscription extends TransportSubscription {
  healthy(): boolean;
}

/**
 * The brokerless default transport: PUB/SUB with the framing of PROTOCOL.md §5 (topic, envelope,
 * sequence stamp). Binds the publishing socket at once so subscribers can connect early.
 * @throws HeraldError `E_TRANSPORT` when an address cannot be bound.
 */
export async function createZeroMqTransport(options: ZeroMqTransportOptions = {}): Promise<ZeroMqTransport> {
  const highWater = options.sendHighWaterMark ?? 100_000;
  // An XPUB rather than a PUB: it sends alike, and also tells which subscriptions came and went.
  const publisher = options.bind?.length
    ? new XPublisher({ sendHighWaterMark: highWater, linger: 2000, verbosity: "allSubsUnsubs" })
    : undefined;
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
  const subscriptions = new Set<ZeroMqSubscription>();
  let closed = false;
  let fetcher: JournalFetcher | undefined;
  let lastSend: Promise<void> | undefined;
  // Heartbeats go through the same queue of sends, in order with the messages they speak of.
  const beats = createHeartbeats(options.heartbeatMs ?? 2000, (frames) => {
    if (publisher === undefined || closed) return;
    const previous = lastSend;
    const current = previous === undefined ? publisher.send(frames) : previous.then(() => publisher.send(frames));
    lastSend = current;
    current
      .catch(() => {})
      .finally(() => {
        if (lastSend === current) lastSend = undefined;
      });
  });
  if (publisher === undefined) beats.stop();
  const subscribers = publisher === undefined ? undefined : countSubscribers(publisher);

  return {
    name: "zeromq",
    endpoints,
    // False while a subscription's connection failed its handshake or was cut and not restored:
    // what serves /healthz then says 503 until it is back.
    get connected() {
      for (const subscription of subscriptions) if (!subscription.healthy()) return false;
      return true;
    },
    get subscribers() {
      return subscribers?.heraldSubscribers;
    },
    async send(topic, body, _id, stamp) {
      if (closed) throw new HeraldError("E_CLOSED", "the ZeroMQ transport is closed");
      if (publisher === undefined)
        throw new HeraldError("E_CONFIG", "this ZeroMQ transport has no address to publish on (bind)");
      // Numbered now, in call order; sent in the same order.
      const stampFrame = stamp === undefined ? counter.next(topic) : `seq ${stamp.sender} ${stamp.sequence}`;
      const frames = [topic, body, stampFrame];
      beats.sent(topic, stampFrame);
      // A PUB socket never blocks (past the high-water mark it drops, and the stamp makes that
      // visible), but it takes one send at a time: one made while another runs waits its turn.
      const previous = lastSend;
      const current =
        previous === undefined
          ? publisher.send(frames)
          : previous.then(
              () => publisher.send(frames),
              () => publisher.send(frames),
            );
      lastSend = current;
      try {
        await current;
      } catch (cause) {
        throw translateZeroMqError(cause, "cannot publish");
      } finally {
        if (lastSend === current) lastSend = undefined;
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
    announceHeld(held) {
      beats.hold(held);
    },
    fetchMissed(gap, signal) {
      if (!options.relays?.length) return emptyFetch();
      fetcher ??= createJournalFetcher({
        relays: options.relays,
        maxMessageBytes: options.maxMessageBytes ?? defaultMaxMessageBytes,
      });
      return fetcher.fetch(gap, signal);
    },
    async close() {
      if (closed) return;
      closed = true;
      beats.stop();
      fetcher?.close();
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
): ZeroMqSubscription {
  const socket = new Subscriber({
    receiveHighWaterMark: options.receiveHighWaterMark ?? 100_000,
    maxMessageSize: options.maxMessageBytes ?? defaultMaxMessageBytes,
    linger: 0,
  });
  let closing = false;
  // Watched before connecting: a handshake that fails at once is over before a later observer starts.
  const watch = keepConnected(socket, options, () => closing);
  for (const address of addresses) {
    try {
      socket.connect(address);
    } catch (cause) {
      watch.stop();
      socket.close();
      throw translateZeroMqError(cause, `cannot connect to ${address}`);
    }
  }
  // ZeroMQ filters on a byte prefix; the Bus then matches the full pattern.
  for (const prefix of new Set(patterns.map((pattern) => compileTopicPattern(pattern).literalPrefix))) {
    socket.subscribe(prefix);
  }
  socket.subscribe(heartbeatTopic);
  const loop = (async () => {
    try {
      // receive() directly rather than `for await`: one promise per message instead of two.
      while (!closing) {
        const frames = await socket.receive();
        try {
          if (frames[0]?.length === heartbeatTopic.length && frames[0].toString("latin1") === heartbeatTopic) {
            // Each topic it names is handed on as a frame, in order with the messages.
            for (const beat of readHeartbeat(frames[1])) {
              const pending = handler(beat);
              if (pending !== undefined) await pending;
            }
            continue;
          }
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
    healthy: () => !watch.broken(),
    async close() {
      closing = true;
      watch.stop();
      socket.close();
      await loop;
    },
  };
}

/**
 * libzmq does not reconnect a connection it dropped itself — a frame past `maxMessageSize`, a
 * failed handshake (a peer of another socket type at the address): the subscription would then
 * be dead with no sign. After a disconnect, libzmq schedules a retry (`connect:retry`) when it
 * means to reconnect; when it has neither retried nor reconnected within a second, the
 * connection is made anew here, and said. (Never for a peer that merely went away: the messages
 * still queued from it are read first.)
 */
function keepConnected(
  socket: Subscriber,
  options: ZeroMqTransportOptions,
  closing: () => boolean,
): { stop(): void; broken(): boolean } {
  const timers = new Map<string, NodeJS.Timeout>();
  // Since when each address has had no connection: one that never answered (nothing listens, or
  // something that is not a publisher) or went away is unhealthy once that lasts past a moment.
  // (Keyed by the addresses libzmq's events name, noted at the first attempt to connect.)
  const down = new Map<string, number>();
  const up = new Set<string>();
  const attempted = (address: string) => {
    if (!up.has(address) && !down.has(address)) down.set(address, Date.now());
  };
  // Addresses whose connection failed a handshake or was cut and not restored: unhealthy until
  // a handshake completes again.
  const broken = new Set<string>();
  // Each address with its own backoff, reset by a completed handshake: a wrong peer (another
  // socket type at the address) costs a line every 30 s at most, not every second.
  const backoffs = new Map<string, Backoff>();
  const settled = (address: string) => {
    clearTimeout(timers.get(address));
    timers.delete(address);
  };
  socket.events.on("handshake", ({ address }) => {
    settled(address);
    broken.delete(address);
    down.delete(address);
    up.add(address);
    backoffs.get(address)?.reset();
  });
  for (const failure of ["handshake:error:protocol", "handshake:error:auth", "handshake:error:other"] as const)
    socket.events.on(failure, ({ address, error }) => {
      if (!broken.has(address))
        options.onError?.(new HeraldError("E_TRANSPORT", `the handshake with ${address} failed: ${error.message}`));
      broken.add(address);
    });
  socket.events.on("connect", ({ address }) => {
    settled(address);
    attempted(address);
  });
  socket.events.on("connect:delay", ({ address }) => attempted(address));
  socket.events.on("connect:retry", ({ address }) => {
    settled(address);
    attempted(address);
  });
  socket.events.on("disconnect", ({ address }) => {
    settled(address);
    up.delete(address);
    if (!down.has(address)) down.set(address, Date.now());
    let backoff = backoffs.get(address);
    if (backoff === undefined) {
      backoff = createBackoff({ initialMs: 1000, maxMs: 30_000 });
      backoffs.set(address, backoff);
    }
    const timer = setTimeout(() => {
      timers.delete(address);
      if (closing() || socket.closed) return;
      broken.add(address);
      options.onError?.(
        new HeraldError("E_TRANSPORT", `the connection to ${address} was cut and not restored: connecting again`),
      );
      try {
        socket.disconnect(address);
      } catch {
        // Already gone from libzmq's list: connecting again is all there is to do.
      }
      socket.connect(address);
    }, backoff.next());
    timer.unref();
    timers.set(address, timer);
  });
  return {
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
    broken() {
      if (broken.size > 0) return true;
      const now = Date.now();
      const limit = options.unreachableAfterMs ?? 10_000;
      for (const since of down.values()) if (now - since > limit) return true;
      return false;
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
