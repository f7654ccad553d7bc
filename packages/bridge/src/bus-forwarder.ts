import { setTimeout as sleep } from "node:timers/promises";
import { createBackoff, type Envelope, HeraldError } from "@herald/sdk";
import { type BridgeContext, type BridgeDirection, createBridgeDirection } from "./bridge-direction.js";

/**
 * What a bridge tells the broker it reads from about one message:
 * - `accept`: it is on the Herald bus (a relay acknowledged it), or was a loop and is dropped;
 * - `reject`: it can never be delivered (not JSON, no rule, no valid topic, refused by the relay),
 *   with the reason — rejected once (dead-lettered), never redelivered;
 * - `release`: not delivered because the bridge is stopping; the broker gives it to the next consumer.
 */
export type ForwardOutcome = { outcome: "accept" } | { outcome: "reject"; reason: string } | { outcome: "release" };

/** Carries messages of a broker with acknowledgements onto the bus: {@link createBusForwarder}. */
export interface BusForwarder {
  /** Counts, refusals and the metrics of the bridge's `in` direction. */
  readonly direction: BridgeDirection;
  /**
   * Converts one message and puts it on the bus. A relay (or the bus's broker) that cannot be
   * reached is retried with backoff and jitter for as long as the bridge runs, so the message
   * stays unacknowledged at its broker meanwhile: an outage neither loses it nor uses up its
   * delivery limit. `convert` throwing (the body is not JSON, no rule matches) rejects it.
   * @param describe names the message in log lines, such as `message forge.push (id 42)`.
   */
  forward(describe: string, convert: () => Envelope): Promise<ForwardOutcome>;
  /**
   * Stops retrying (messages still waiting for a relay are released) and resolves once every
   * message being forwarded has its outcome, so the caller settles them before it disconnects.
   */
  close(): Promise<void>;
}

/**
 * Retries what a bridge sends onto the bus while the bus cannot take it: {@link createRelayRetry}.
 */
export interface RelayRetry {
  /**
   * Runs `send` until it succeeds or fails for good: a relay that does not answer (or the bus's
   * broker being away) is retried with backoff (0.5 s doubling to 30 s, with jitter) for as long
   * as the bridge runs, said in one line when it starts and one when it ends.
   * @throws the error of `send` when it is not a passing one (the relay refused the message).
   * @throws HeraldError `E_CLOSED` when the bridge stops while it waits.
   */
  send<T>(send: () => Promise<T>): Promise<T>;
  /** Stops waiting: every `send` still retrying throws `E_CLOSED`. */
  close(): void;
}

/** One bridge direction's retries towards the bus (see {@link RelayRetry}). */
export function createRelayRetry(context: BridgeContext): RelayRetry {
  const stopping = new AbortController();
  const name = context.bridge.name;
  let relayDown = false;
  return {
    async send(send) {
      // Made on the first failure only: the usual message is sent at once, with nothing to space.
      let backoff: ReturnType<typeof createBackoff> | undefined;
      while (!stopping.signal.aborted) {
        try {
          const result = await send();
          if (relayDown) context.logger.info(`${name}: the relay acknowledges again`);
          relayDown = false;
          return result;
        } catch (cause) {
          if (!transient(cause) || stopping.signal.aborted) throw cause;
          if (!relayDown)
            context.logger.warn(`${name}: retrying until the relay acknowledges: ${(cause as Error).message}`);
          relayDown = true;
          backoff ??= createBackoff({ initialMs: 500, maxMs: 30_000 });
          await sleep(backoff.next(), undefined, { signal: stopping.signal }).catch(() => {});
        }
      }
      throw new HeraldError("E_CLOSED", `bridge ${name} is stopping`);
    },
    close() {
      stopping.abort();
    },
  };
}

/** The shared core of the bridges that read a broker with acknowledgements: conversion, signing, retries. */
export function createBusForwarder(context: BridgeContext): BusForwarder {
  const direction = createBridgeDirection(context, "in");
  const retry = createRelayRetry(context);
  const inFlight = new Set<Promise<ForwardOutcome>>();
  let closing = false;

  const deliver = async (describe: string, convert: () => Envelope): Promise<ForwardOutcome> => {
    direction.received();
    let envelope: Envelope;
    try {
      envelope = convert();
    } catch (cause) {
      const reason = (cause as Error).message;
      direction.refuse("unconvertible", `${describe} rejected: ${reason}`);
      return { outcome: "reject", reason };
    }
    try {
      await retry.send(() => direction.convertedToBus(envelope));
      return { outcome: "accept" };
    } catch (cause) {
      if (closing) return { outcome: "release" };
      const reason = (cause as Error).message;
      direction.refuse("relay-refused", `${describe} rejected: ${reason}`);
      return { outcome: "reject", reason };
    }
  };

  return {
    direction,
    forward(describe, convert) {
      const outcome = deliver(describe, convert);
      inFlight.add(outcome);
      void outcome.finally(() => inFlight.delete(outcome));
      return outcome;
    },
    async close() {
      closing = true;
      retry.close();
      await Promise.allSettled([...inFlight]);
      direction.close();
    },
  };
}

/** A failure that passes: no relay answered, or the bus's broker connection is down. */
function transient(cause: unknown): boolean {
  return cause instanceof HeraldError && ["E_RELAY_UNREACHABLE", "E_TRANSPORT", "E_CLOSED"].includes(cause.code);
}
