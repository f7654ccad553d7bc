import type { Gap, HopStamp } from "./sequence.js";

/** One message as a transport carries it: the topic and the envelope's bytes, never rewritten. */
export interface TransportFrame {
  /** The routing topic: ZeroMQ's frame 1, AMQP's routing key. */
  topic: string;
  /** The envelope exactly as received: UTF-8 JSON. */
  body: Buffer;
  /** The sending hop's sequence stamp, where the transport carries one. */
  stamp?: HopStamp;
  /**
   * A heartbeat of the sending hop, not a message: `body` is empty and `stamp` is the latest
   * number the hop sent on `topic`. It reveals a silent tail of a burst: messages the subscriber
   * never saw though nothing came after them.
   */
  heartbeat?: true;
}

/**
 * Handles one inbound frame. Frames are handed over one at a time: the next waits until the
 * returned promise settles, so a slow handler pushes back on the transport (and a broker transport
 * acknowledges only then).
 */
export type FrameHandler = (frame: TransportFrame) => void | Promise<void>;

/** A running subscription of a transport. */
export interface TransportSubscription {
  /** Stops delivery and releases the socket or queue. */
  close(): Promise<void>;
}

/**
 * What the Bus needs of a transport: ZeroMQ, AMQP, or the in-memory one for tests.
 * A transport carries bytes; it knows nothing of signatures, trust or schemas.
 */
export interface Transport {
  /** For messages and metrics: `zeromq`, `memory`, `amqp`. */
  readonly name: string;
  /**
   * True for a broker queue that acknowledges a message only once its handler settled, and
   * delivers it again otherwise (AMQP): a consumer whose handler resolves after its effect is
   * committed loses nothing to a crash. Such a transport may call the handler for several
   * messages at once (up to its prefetch).
   */
  readonly acknowledges?: boolean;
  /**
   * Sends one envelope under `topic`; `id` is the envelope's id when the caller knows it, which
   * spares a broker transport parsing the body for its message-id. Resolves once the transport accepted it: queued on the
   * socket for ZeroMQ, confirmed by the broker for AMQP. `stamp` numbers the message when the
   * caller keeps the count itself (a relay with a journal, whose numbers survive restarts); without
   * it a transport that stamps numbers messages itself, and one that does not ignores it.
   * @throws HeraldError `E_TRANSPORT` or `E_CLOSED`
   */
  send(topic: string, body: Buffer, id?: string, stamp?: HopStamp): Promise<void>;
  /**
   * Delivers frames whose topic matches any of the patterns (a transport may deliver more, for
   * example everything under a ZeroMQ prefix filter; the Bus matches exactly).
   */
  subscribe(patterns: readonly string[], handler: FrameHandler): Promise<TransportSubscription>;
  /**
   * Fetches the envelopes a numbering hop sent on `gap.topic` under the numbers the gap says were
   * missed, from that hop's journal where the transport can reach one (ZeroMQ asks the configured
   * relays). Yields nothing when no journal holds the sender; fewer than missed when the journal
   * no longer holds them all (stores then fill the rest).
   */
  fetchMissed?(gap: Gap, signal: AbortSignal): AsyncIterable<Buffer>;
  /**
   * For a numbering hop with a journal (the relay): `held` gives the latest number of every topic
   * the journal still holds, and the transport's heartbeats name those topics for as long as it
   * holds them, not only for a while after their last send. So a subscriber that was stopped, or a
   * restart that hid the end of a burst, still learns the numbers it can fetch.
   */
  announceHeld?(held: () => Iterable<[topic: string, stamp: HopStamp]>): void;
  /** Flushes what was sent and closes every socket. */
  close(): Promise<void>;
}
