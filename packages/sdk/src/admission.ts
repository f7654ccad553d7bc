import { createDuplicateFilter, type DuplicateFilter, type DuplicateFilterOptions } from "./duplicate-filter.js";
import type { Envelope } from "./envelope.js";
import { createPolicy, type Policy } from "./policy.js";
import { createGapTracker, type Gap, type GapTracker } from "./sequence.js";
import type { TransportFrame } from "./transport.js";
import { emptyTrustStore, type TrustStore } from "./trust.js";
import { type VerifyOutcome, verifyEnvelope } from "./verify.js";

/** A message that passed verification and policy, as handed to the application. */
export interface ReceivedMessage {
  topic: string;
  envelope: Envelope;
  /** The envelope's bytes exactly as received: store or forward these, never a re-serialization. */
  raw: Buffer;
  /**
   * `valid`, or `unsigned` where the policy allows unsigned messages on this topic (a custom
   * policy, such as `herald tail --insecure`, may accept other outcomes).
   */
  outcome: Exclude<VerifyOutcome, "malformed">;
}

/**
 * Why a message was refused: a verification outcome of PROTOCOL.md §4 other than those accepted,
 * or `topic-mismatch` when the frame topic differs from the envelope's `type` (§5).
 */
export type RejectReason = Exclude<VerifyOutcome, "valid"> | "topic-mismatch";

/** A refused message, reported to the application (never thrown). */
export interface Rejection {
  reason: RejectReason;
  /** A short description of what was wrong. */
  detail: string;
  topic: string;
}

/** Counters of one admission pipeline. */
export interface AdmissionStats {
  received: number;
  accepted: number;
  duplicates: number;
  rejected: Record<RejectReason, number>;
  /** Messages known lost (sum of gap sizes). */
  missed: number;
}

/** Options of {@link createAdmission}. */
export interface AdmissionOptions {
  /** The keys to believe. Without one every signed message is `unknown-key`. */
  trust?: TrustStore;
  policy?: Policy;
  duplicates?: DuplicateFilterOptions;
  onReject?: (rejection: Rejection) => void;
  onGap?: (gap: Gap) => void;
}

/** What {@link Admission.admit} decided about one frame. */
export type AdmissionResult =
  | { status: "accepted"; message: ReceivedMessage }
  | { status: "duplicate"; id: string }
  | { status: "rejected"; rejection: Rejection };

/** Decides, frame by frame, what reaches the application. */
export interface Admission {
  /** Accepts, refuses (with the reason) or drops as a duplicate one frame. Never throws. */
  admit(frame: TransportFrame): AdmissionResult;
  readonly stats: AdmissionStats;
}

/**
 * The receive pipeline every subscriber and relay shares: gap accounting, JSON parsing, the
 * frame-topic check, verification, policy, then duplicate suppression of accepted ids only.
 * Never throws on bad input: garbage is counted and reported.
 */
export function createAdmission(options: AdmissionOptions = {}): Admission {
  const trust = options.trust ?? emptyTrustStore();
  const policy = options.policy ?? createPolicy();
  const duplicates: DuplicateFilter = createDuplicateFilter(options.duplicates);
  const gaps: GapTracker = createGapTracker();
  const stats: AdmissionStats = {
    received: 0,
    accepted: 0,
    duplicates: 0,
    missed: 0,
    rejected: {
      malformed: 0,
      unsigned: 0,
      "unknown-key": 0,
      "bad-signature": 0,
      "key-revoked": 0,
      "key-expired": 0,
      "topic-not-allowed": 0,
      "topic-mismatch": 0,
    },
  };

  const reject = (reason: RejectReason, detail: string, topic: string): AdmissionResult => {
    stats.rejected[reason]++;
    const rejection = { reason, detail, topic };
    options.onReject?.(rejection);
    return { status: "rejected", rejection };
  };

  return {
    stats,
    admit(frame) {
      stats.received++;
      if (frame.stamp !== undefined) {
        const gap = gaps.observe(frame.topic, frame.stamp);
        if (gap !== undefined) {
          stats.missed += gap.missed;
          options.onGap?.(gap);
        }
      }
      let value: unknown;
      try {
        value = JSON.parse(frame.body.toString("utf8"));
      } catch {
        return reject("malformed", "body is not JSON", frame.topic);
      }
      const { outcome, reason } = verifyEnvelope(value, trust);
      if (outcome === "malformed") return reject("malformed", reason ?? "malformed", frame.topic);
      const envelope = value as Envelope;
      if (envelope.type !== frame.topic) {
        return reject("topic-mismatch", `frame topic ${frame.topic} differs from type ${envelope.type}`, frame.topic);
      }
      if (!policy.accepts(outcome, envelope.type)) {
        const detail =
          outcome === "unsigned" ? `unsigned messages are not accepted on ${envelope.type}` : (reason ?? outcome);
        return reject(outcome as RejectReason, detail, frame.topic);
      }
      if (duplicates.has(envelope.id)) {
        stats.duplicates++;
        return { status: "duplicate", id: envelope.id };
      }
      duplicates.remember(envelope.id);
      stats.accepted++;
      const message = { topic: frame.topic, envelope, raw: frame.body, outcome };
      return { status: "accepted", message };
    },
  };
}
