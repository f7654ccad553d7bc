import { randomBytes } from "node:crypto";
import { type Backoff, createBackoff, type Envelope, HeraldError } from "@herald/sdk";
import { envelopeTypeOf } from "@herald/sdk/internal";
import { Dealer } from "zeromq";
import { parseRelayReply, type RelayReply } from "./relay-protocol.js";
import { translateZeroMqError } from "./zeromq-errors.js";

/**
 * How publishing through relays can fail, besides the SDK's codes:
 * - `E_RELAY_REFUSED`: a relay answered and refused the message (the reason says why).
 * - `E_RELAY_UNREACHABLE`: no configured relay acknowledged the message in time.
 */
export type RelayErrorCode = "E_RELAY_REFUSED" | "E_RELAY_UNREACHABLE";

/** Options of {@link createRelayClient}. */
export interface RelayClientOptions {
  /** Relay inbound addresses, tried in order: `tcp://relay1:9940`, `tcp://relay2:9940`. */
  relays: readonly string[];
  /** How long one relay may take to connect and acknowledge, in milliseconds. Default 3000. */
  timeoutMs?: number;
}

/** The acknowledgement of a relay. */
export interface RelayAck {
  id: string;
  /** The relay that acknowledged. */
  relay: string;
  /** True when the relay had already republished this id. */
  duplicate: boolean;
}

/** Sends envelopes through a relay and waits for its acknowledgement. */
export interface RelayClient {
  /**
   * Sends one envelope (object or exact bytes) to the first relay that acknowledges it, trying
   * each configured relay in turn; one that failed lately is tried last (for 0.5 s after its first
   * failure, doubling to 30 s), so a dead relay costs its timeout once, not once per message.
   * @throws HeraldError `E_RELAY_REFUSED` when a relay refused it (the reason says why: no other
   *   relay is tried), `E_RELAY_UNREACHABLE` when none acknowledged in time.
   */
  send(envelope: Envelope | Buffer): Promise<RelayAck>;
  close(): Promise<void>;
}

/**
 * One connection to one relay. A connection that timed out is discarded: with linger 0 its queued
 * request dies with it, so it cannot reach the relay later behind the failover's copy.
 */
class RelayConnection {
  private readonly socket: Dealer;
  private readonly pending = new Map<string, (reply: RelayReply) => void>();
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    readonly address: string,
    timeoutMs: number,
  ) {
    // immediate: queue only on a completed connection, so a dead relay makes send fail after sendTimeout.
    // Replies are a line of JSON: a relay (or anything at its address) sending more is cut off.
    this.socket = new Dealer({ immediate: true, sendTimeout: timeoutMs, linger: 0, maxMessageSize: 64 * 1024 });
    this.socket.connect(address);
    void this.receive();
  }

  private async receive(): Promise<void> {
    try {
      for await (const [requestId, replyFrame] of this.socket) {
        const reply = replyFrame === undefined ? undefined : parseRelayReply(replyFrame.toString("utf8"));
        const resolve = requestId === undefined ? undefined : this.pending.get(requestId.toString("latin1"));
        if (reply !== undefined && resolve !== undefined) resolve(reply);
      }
    } catch {
      // The socket was closed: pending requests time out on their own.
    }
  }

  request(topic: string, body: Buffer, timeoutMs: number): Promise<RelayReply> {
    const requestId = randomBytes(8).toString("hex");
    return new Promise<RelayReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new HeraldError<RelayErrorCode>("E_RELAY_UNREACHABLE", `no acknowledgement within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(requestId, (reply) => {
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve(reply);
      });
      // A DEALER takes one blocking send at a time: chain them.
      this.sending = this.sending
        .then(() => this.socket.send([requestId, topic, body]))
        .catch((cause: unknown) => {
          clearTimeout(timer);
          this.pending.delete(requestId);
          const error = translateZeroMqError(cause, "not connected");
          reject(new HeraldError<RelayErrorCode>("E_RELAY_UNREACHABLE", error.message, { cause }));
        });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Creates a client for the acknowledged relay inbound: what `herald publish`, git hooks and scripts
 * use. Connections are opened once and reused for every message.
 */
export function createRelayClient(options: RelayClientOptions): RelayClient {
  if (options.relays.length === 0) throw new HeraldError("E_CONFIG", "no relay address configured");
  const timeoutMs = options.timeoutMs ?? 3000;
  const connections = new Map<string, RelayConnection>();
  const connection = (address: string) => {
    let existing = connections.get(address);
    if (existing === undefined) {
      try {
        existing = new RelayConnection(address, timeoutMs);
      } catch (cause) {
        throw translateZeroMqError(cause, `cannot connect to relay ${address}`);
      }
      connections.set(address, existing);
    }
    return existing;
  };

  // A relay that failed is skipped for a while (a circuit breaker with backoff and jitter): with
  // `[A, B]` and A dead, each message would otherwise wait A's full timeout before trying B.
  const breakers = new Map<string, { backoff: Backoff; openUntil: number }>();
  const breaker = (address: string) => {
    let found = breakers.get(address);
    if (found === undefined) {
      found = { backoff: createBackoff({ initialMs: 500, maxMs: 30_000 }), openUntil: 0 };
      breakers.set(address, found);
    }
    return found;
  };
  /** The relays to try, in order: those not skipped first, then the skipped ones as a last resort. */
  const order = () => {
    const now = Date.now();
    const skipped = options.relays.filter((address) => (breakers.get(address)?.openUntil ?? 0) > now);
    return [...options.relays.filter((address) => !skipped.includes(address)), ...skipped];
  };

  return {
    async send(envelope) {
      const body = Buffer.isBuffer(envelope) ? envelope : Buffer.from(JSON.stringify(envelope), "utf8");
      const topic = Buffer.isBuffer(envelope) ? envelopeTypeOf(envelope) : envelope.type;
      const failures: string[] = [];
      for (const address of order()) {
        let reply: RelayReply;
        try {
          reply = await connection(address).request(topic, body, timeoutMs);
        } catch (error) {
          connections.get(address)?.close();
          connections.delete(address);
          const state = breaker(address);
          state.openUntil = Date.now() + state.backoff.next();
          failures.push(`${address}: ${(error as Error).message}`);
          continue;
        }
        breaker(address).backoff.reset();
        breaker(address).openUntil = 0;
        if (!reply.ok)
          throw new HeraldError<RelayErrorCode>(
            "E_RELAY_REFUSED",
            `relay ${address} refused the message: ${reply.reason}: ${reply.detail}`,
          );
        return { id: reply.id, relay: address, duplicate: reply.duplicate === true };
      }
      throw new HeraldError<RelayErrorCode>(
        "E_RELAY_UNREACHABLE",
        `no relay acknowledged the message (${failures.join("; ")})`,
      );
    },
    async close() {
      for (const open of connections.values()) open.close();
      connections.clear();
    },
  };
}
