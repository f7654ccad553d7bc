import { setTimeout as sleep } from "node:timers/promises";
import { createBackoff, HeraldError } from "@herald/sdk";
import { type BridgeContext, type BridgeDirection, bridgeSource, createBridgeDirection } from "./bridge-direction.js";
import { compileForeignRules, type ForeignMessage, foreignEnvelope } from "./foreign-rules.js";

/**
 * What a foreign bridge tells its broker about one message:
 * - `accept`: it is on the Herald bus (a relay acknowledged it), or was a loop and is dropped;
 * - `reject`: it can never be delivered (not JSON, no rule, no valid topic, refused by the relay),
 *   with the reason — rejected once, never redelivered;
 * - `release`: not delivered because the bridge is stopping; the broker gives it to the next consumer.
 */
export type ForeignOutcome = { outcome: "accept" } | { outcome: "reject"; reason: string } | { outcome: "release" };

/** Carries foreign messages onto the bus: {@link createForeignForwarder}. */
export interface ForeignForwarder {
  /** Counts, refusals and the metrics of the bridge's `in` direction. */
  readonly direction: BridgeDirection;
  /**
   * Converts one message and puts it on the bus. A relay that cannot be reached is retried with
   * backoff (and jitter) for as long as the bridge runs, so the message stays unacknowledged at
   * its broker meanwhile; `read` failing (the body is not JSON) rejects the message.
   */
  forward(describe: string, read: () => ForeignMessage): Promise<ForeignOutcome>;
  /** Stops retrying: messages still waiting for a relay are released. */
  close(): void;
}

/** The shared core of the `amqp10` and `stomp` kinds: rules, conversion, signing, retries. */
export function createForeignForwarder(context: BridgeContext): ForeignForwarder {
  const rules = compileForeignRules(context.bridge);
  const source = bridgeSource(context.bridge);
  const direction = createBridgeDirection(context, "in");
  const stopping = new AbortController();
  let relayDown = false;
  return {
    direction,
    async forward(describe, read) {
      direction.received();
      let envelope: ReturnType<typeof foreignEnvelope>;
      try {
        envelope = foreignEnvelope(read(), rules, source);
      } catch (cause) {
        const reason = (cause as Error).message;
        direction.refuse("unconvertible", `message ${describe} rejected: ${reason}`);
        return { outcome: "reject", reason };
      }
      const backoff = createBackoff({ initialMs: 500, maxMs: 30_000 });
      while (!stopping.signal.aborted) {
        try {
          await direction.convertedToBus(envelope);
          if (relayDown) context.logger.info(`${context.bridge.name}: the relay acknowledges again`);
          relayDown = false;
          return { outcome: "accept" };
        } catch (cause) {
          if (!transient(cause)) {
            const reason = (cause as Error).message;
            direction.refuse("relay-refused", `message ${describe} rejected: ${reason}`);
            return { outcome: "reject", reason };
          }
          if (!relayDown) context.logger.warn(`${context.bridge.name}: retrying: ${(cause as Error).message}`);
          relayDown = true;
          await sleep(backoff.next(), undefined, { signal: stopping.signal }).catch(() => {});
        }
      }
      return { outcome: "release" };
    },
    close() {
      stopping.abort();
      direction.close();
    },
  };
}

/** A failure that passes: no relay answered, or the bus's broker connection is down. */
function transient(cause: unknown): boolean {
  return cause instanceof HeraldError && ["E_RELAY_UNREACHABLE", "E_TRANSPORT", "E_CLOSED"].includes(cause.code);
}
