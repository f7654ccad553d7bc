import { hostname } from "node:os";
import { setTimeout } from "node:timers/promises";
import type { MetricsSource } from "@herald/ops";
import {
  type Envelope,
  type FrameHandler,
  type HeraldConfig,
  HeraldError,
  type Logger,
  nonCanonicalAttributes,
  type Policy,
  type ReceivedMessage,
  readBoundedJson,
  type SigningKey,
  signEnvelope,
  type TrustStore,
} from "@herald/sdk";
import { createAdmission, createRejectionReport, type DuplicateFilter } from "@herald/sdk/internal";
import type { BridgeConfig } from "./bridge-config.js";
import type { HeraldSide } from "./herald-side.js";

/** What every bridge is given by `herald bridge`. */
export interface BridgeContext {
  bridge: BridgeConfig;
  /** The whole configuration: the bus's prefix, the `[amqp]` defaults. */
  config: HeraldConfig;
  herald: HeraldSide;
  trust: TrustStore | undefined;
  policy: Policy;
  /** Signs what a bridge converts from another format (fedmsg, fedora-messaging, foreign AMQP). */
  signingKey: SigningKey | undefined;
  logger: Logger;
  /**
   * The ids this bridge forwarded, in either direction. A message whose id is here is its own
   * coming back around (or a second bridge's copy of it): it is dropped, so bridging the same
   * topics both ways never loops.
   */
  forwarded: DuplicateFilter;
}

/** A running bridge. */
export interface RunningBridge {
  /** The metrics of each direction it runs. */
  readonly sources: MetricsSource[];
  /** False while its broker connection is down. */
  healthy(): boolean;
  close(): Promise<void>;
}

/** One direction of a bridge: counts, refusals, loop suppression, and the forwarding itself. */
export interface BridgeDirection {
  readonly source: MetricsSource;
  /**
   * A frame handler for Herald envelopes (from the bus, or Herald on RabbitMQ): verifies each,
   * drops loops, and awaits `forward` — so a broker acknowledges only what went on.
   */
  verified(forward: (message: ReceivedMessage) => Promise<void>): FrameHandler;
  /**
   * Signs an envelope converted from another format with the bridge's key and puts it on the
   * Herald bus; resolves false when it was a loop and was dropped.
   */
  convertedToBus(envelope: Envelope): Promise<boolean>;
  /** Counts and reports a message that could not be converted, with the reason. */
  refuse(reason: string, detail: string): void;
  /** Counts a message received from the other side. */
  received(): void;
  /** Counts a message of this bridge's own that came back around and was dropped (a `loop`). */
  looped(): void;
  close(): void;
}

/** How long a failed send holds its message before giving it back to be delivered again. */
const retryPauseMs = 1000;

/** `source` of the envelopes a bridge converts: PROTOCOL.md §6 wants the bridge named there. */
export function bridgeSource(bridge: BridgeConfig): string {
  return `/${bridge.kind}-bridge.${bridge.name}/${hostname()}`;
}

/** Creates one direction: `in` puts messages on the Herald bus, `out` takes them off it. */
export function createBridgeDirection(context: BridgeContext, direction: "in" | "out"): BridgeDirection {
  const { bridge, forwarded, logger } = context;
  const report = createRejectionReport(logger);
  let received = 0;
  let sent = 0;
  let inFlight = 0;
  let gaps = 0;
  let missed = 0;
  const refused: Record<string, number> = {};
  // Kinds of non-canonical envelope already warned about (bounded): the first of each is said.
  const warnedShapes = new Set<string>();
  const warnIfNotCanonical = (envelope: Envelope) => {
    const problems = nonCanonicalAttributes(envelope);
    if (problems.length === 0) return;
    const shape = problems.map((problem) => problem.replace(/"[^"]*"|\([^)]*\)|-?\d+(\.\d+)?/g, "…")).join("; ");
    if (warnedShapes.has(shape) || warnedShapes.size >= 100) return;
    warnedShapes.add(shape);
    logger.warn(
      `${bridge.name}: warning: message ${envelope.id} on ${envelope.type} is not in the canonical form (a CloudEvents SDK would rewrite it and break its signature): ${problems.join("; ")}; policy.canonical_only refuses such messages`,
    );
  };
  const admission = createAdmission({
    ...(context.trust === undefined ? {} : { trust: context.trust }),
    policy: context.policy,
    onReject: report.count,
    onGap: (gap) => {
      gaps++;
      missed += gap.missed;
      logger.warn(`${bridge.name}: missed ${gap.missed} message(s) on ${gap.topic} from sender ${gap.sender}`);
    },
  });

  /** Sends once per id: remembered before sending (the echo can beat the confirm), forgotten on failure. */
  const once = async (id: string, send: () => Promise<void>): Promise<boolean> => {
    if (forwarded.has(id)) {
      refused.loop = (refused.loop ?? 0) + 1;
      return false;
    }
    forwarded.remember(id);
    inFlight++;
    try {
      await send();
      sent++;
      return true;
    } catch (error) {
      forwarded.forget(id);
      // A broker redelivers at once: waiting spaces the attempts while the other side is down.
      await setTimeout(retryPauseMs);
      throw error;
    } finally {
      inFlight--;
    }
  };

  return {
    source: {
      part: `${bridge.name}.${direction}`,
      messagesIn: () => received + admission.stats.received,
      messagesOut: () => sent,
      rejected: () => ({ ...admission.stats.rejected, ...refused }),
      gaps: () => gaps,
      missed: () => missed,
      queueDepth: () => inFlight,
    },
    verified(forward) {
      return async (frame) => {
        const result = await admission.admit(frame);
        if (result.status !== "accepted") return;
        warnIfNotCanonical(result.message.envelope);
        const { id } = result.message.envelope;
        try {
          await once(id, () => forward(result.message));
        } catch (error) {
          // Its redelivery must be admitted again, not dropped as a repeat.
          admission.forget(id);
          throw error;
        }
      };
    },
    async convertedToBus(envelope) {
      if (context.signingKey === undefined) throw new Error("no signing key");
      const signed = signEnvelope({ ...envelope, data: withSafeNumbers(envelope.data) }, context.signingKey);
      const body = Buffer.from(JSON.stringify(signed), "utf8");
      // What a bridge makes passes the reader every hop applies, or it is not sent: never an
      // envelope its own relay would refuse.
      const reading = readBoundedJson(body);
      if (!reading.ok)
        throw new HeraldError("E_ENVELOPE", `the envelope would be refused: ${reading.reason}: ${reading.detail}`);
      return once(signed.id, () => context.herald.send(signed.type, body));
    },
    refuse(reason, detail) {
      refused[reason] = (refused[reason] ?? 0) + 1;
      // The first of each kind at once, with its detail; then counts, a line a second at most.
      report.refuse(reason, `${bridge.name}: ${detail}`);
    },
    received() {
      received++;
    },
    looped() {
      refused.loop = (refused.loop ?? 0) + 1;
    },
    close() {
      report.flush();
      report.stop();
    },
  };
}

/**
 * `data` with every whole number beyond ±(2^53−1) (`1e16` from Python, which has no limit) as the
 * string of its digits, the rule of integers the bounded reader meets: written as it is,
 * `JSON.stringify` would give digits every hop refuses as an unsafe integer.
 */
function withSafeNumbers<T>(data: T): T {
  if (typeof data === "number")
    return (Number.isInteger(data) && !Number.isSafeInteger(data) ? BigInt(data).toString() : data) as T;
  if (Array.isArray(data)) return data.map(withSafeNumbers) as T;
  if (data !== null && typeof data === "object") {
    const copy: Record<string, unknown> = {};
    // Defined, not assigned: a key named `__proto__` stays a key.
    for (const [key, value] of Object.entries(data))
      Object.defineProperty(copy, key, {
        value: withSafeNumbers(value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return copy as T;
  }
  return data;
}
