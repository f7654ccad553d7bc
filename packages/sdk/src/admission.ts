import { readBoundedJson } from "./bounded-json.js";
import { nonCanonicalAttributes } from "./canonical-form.js";
import { createDuplicateFilter, type DuplicateFilter, type DuplicateFilterOptions } from "./duplicate-filter.js";
import { type Envelope, findMalformation } from "./envelope.js";
import { createPolicy, type Policy } from "./policy.js";
import type { DataSchema, SchemaRegistry } from "./schema-registry.js";
import { createGapTracker, type Gap, type GapTracker, type HopStamp } from "./sequence.js";
import type { TransportFrame } from "./transport.js";
import { emptyTrustStore, type TrustStore } from "./trust.js";
import { type VerifyOutcome, type VerifyResult, verifyEnvelopeAsync } from "./verify.js";

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
  /**
   * What the subscriber's schema registry said of `data`: `valid`, `unknown-schema` or
   * `unknown-version` (delivered, so an older subscriber still sees newer messages), `none` (the
   * envelope names no schema), or `unchecked` (no registry configured).
   */
  schema: "valid" | "unknown-schema" | "unknown-version" | "none" | "unchecked";
  /** True when the message came from a store after a gap or restart, not live from the bus. */
  recovered?: boolean;
  /** The sending hop's number of a live message (ZeroMQ), for a subscriber that resumes after a restart. */
  stamp?: HopStamp;
}

/**
 * Why a message was refused: a verification outcome of PROTOCOL.md §4 other than those accepted,
 * `topic-mismatch` when the frame topic differs from the envelope's `type` (§5), or `invalid-data`
 * when `data` breaks the schema its `dataschema` names.
 */
export type RejectReason = Exclude<VerifyOutcome, "valid"> | "topic-mismatch" | "invalid-data" | "not-canonical";

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
  /** Gaps detected (`herald_gaps_total`), each of one or more lost messages. */
  gaps: number;
  /**
   * Messages of those gaps that recovery could not bring back from a journal or a store
   * (`herald_messages_lost_total`): lost for this subscriber for good.
   */
  lost: number;
}

/** Options of {@link createAdmission}. */
export interface AdmissionOptions {
  /** The keys to believe. Without one every signed message is `unknown-key`. */
  trust?: TrustStore;
  policy?: Policy;
  duplicates?: DuplicateFilterOptions;
  /** A duplicate filter of the caller's (the relay's, kept on disk across restarts) instead of one in memory. */
  duplicateFilter?: DuplicateFilter;
  onReject?: (rejection: Rejection) => void;
  onGap?: (gap: Gap) => void;
  /**
   * The last numbers this subscriber had of each sender and topic before it stopped (a store
   * keeps them beside its database): the first message or heartbeat after a restart is judged
   * against them, so what was sent while it was away is a gap, fetched, not a new baseline.
   */
  resumeFrom?: Iterable<{ sender: string; topic: string; sequence: number }>;
  /** Checks `data` against the schema each envelope names. */
  schemas?: SchemaRegistry;
  /**
   * This is the hop where messages enter the bus (a relay): its own clock decides, not the time
   * a sender wrote. A key past its `notAfter` (or before `notBefore`) now is refused however the
   * message is dated, and a `time` more than `maxFutureMs` (default 60 s) ahead is refused, so a
   * key cannot backdate its way past expiry nor post-date messages. Later hops verify by the
   * envelope's time as PROTOCOL.md §4 says, so the archive still verifies forever. With
   * `maxAgeMs`, a message dated earlier than that is refused too: older than the replay window,
   * its id could no longer be recognized as a repeat.
   */
  firstHop?: boolean | { maxFutureMs?: number; maxAgeMs?: number };
}

/** What the admission decided about one frame. */
export type AdmissionResult =
  | { status: "accepted"; message: ReceivedMessage }
  | { status: "duplicate"; id: string }
  | { status: "rejected"; rejection: Rejection }
  /** A heartbeat frame: nothing to deliver; it was checked for a gap. */
  | { status: "heartbeat" };

/** A frame parsed and verified, waiting for {@link Admission.decide}. */
export type CheckedFrame =
  | { frame: TransportFrame; heartbeat: true }
  | { frame: TransportFrame; rejection: Rejection }
  | { frame: TransportFrame; envelope: Envelope; verdict: VerifyResult };

/**
 * Decides, frame by frame, what reaches the application, in two steps so signatures can be
 * checked in parallel while decisions stay in arrival order: `check` (parse, frame topic,
 * signature; a promise when a signature is checked on the verification workers), then `decide` (policy and
 * duplicate suppression), called in arrival order. Never throws on bad input.
 */
export interface Admission {
  check(frame: TransportFrame): CheckedFrame | Promise<CheckedFrame>;
  decide(checked: CheckedFrame): AdmissionResult;
  /** Both steps at once, for callers that take one frame at a time. */
  admit(frame: TransportFrame): Promise<AdmissionResult>;
  /** Forgets an accepted id whose handling failed, so its redelivery is accepted rather than dropped as a repeat. */
  forget(id: string): void;
  readonly stats: AdmissionStats;
}

/**
 * The receive pipeline every subscriber and relay shares: the bounded JSON reader, the
 * frame-topic check, verification, policy, duplicate suppression, gap accounting (of frames that
 * passed verification only), then the schema check. Never throws on bad input: garbage is
 * counted and reported.
 */
export function createAdmission(options: AdmissionOptions = {}): Admission {
  const trust = options.trust ?? emptyTrustStore();
  const policy = options.policy ?? createPolicy();
  const duplicates: DuplicateFilter = options.duplicateFilter ?? createDuplicateFilter(options.duplicates);
  const firstHop =
    options.firstHop === undefined || options.firstHop === false
      ? undefined
      : {
          maxFutureMs: (options.firstHop === true ? undefined : options.firstHop.maxFutureMs) ?? 60_000,
          maxAgeMs: options.firstHop === true ? undefined : options.firstHop.maxAgeMs,
        };
  // Fetches a dataschema from a registry service the first time it is named (undefined without one).
  const prepare = options.schemas?.prepare?.bind(options.schemas);
  const gaps: GapTracker = createGapTracker();
  for (const { sender, topic, sequence } of options.resumeFrom ?? []) gaps.resume(topic, { sender, sequence });
  const stats: AdmissionStats = {
    received: 0,
    accepted: 0,
    duplicates: 0,
    missed: 0,
    gaps: 0,
    lost: 0,
    rejected: {
      malformed: 0,
      unsigned: 0,
      "unknown-key": 0,
      "bad-signature": 0,
      "key-revoked": 0,
      "key-expired": 0,
      "topic-not-allowed": 0,
      "topic-mismatch": 0,
      "not-canonical": 0,
      "invalid-data": 0,
    },
  };

  const reject = (rejection: Rejection): AdmissionResult => {
    stats.rejected[rejection.reason]++;
    options.onReject?.(rejection);
    return { status: "rejected", rejection };
  };

  const check = (frame: TransportFrame): CheckedFrame | Promise<CheckedFrame> => {
    if (frame.heartbeat) return { frame, heartbeat: true };
    stats.received++;
    // The one bounded reader: size, depth, duplicate keys (two parsers could see different
    // `type` or `data` under one signature) and integers JSON.parse would round are refused here.
    // Its defaults (1 MiB, depth 64) are an envelope's: far above any real one.
    const reading = readBoundedJson(frame.body);
    if (!reading.ok) {
      const detail = reading.reason === "not-json" ? "body is not JSON" : `${reading.reason}: ${reading.detail}`;
      return { frame, rejection: { reason: "malformed", detail, topic: frame.topic } };
    }
    const value = reading.value;
    const malformation = findMalformation(value);
    if (malformation !== undefined)
      return { frame, rejection: { reason: "malformed", detail: malformation, topic: frame.topic } };
    const envelope = value as Envelope;
    if (envelope.type !== frame.topic) {
      const detail = `frame topic ${frame.topic} differs from type ${envelope.type}`;
      return { frame, rejection: { reason: "topic-mismatch", detail, topic: frame.topic } };
    }
    // A schema fetched from a registry service is waited for here, and only for a message that
    // will be accepted as far as its signature goes: an unsigned or forged post never makes this
    // hop fetch (and cache) what its dataschema names.
    const { dataschema } = envelope;
    if (dataschema === undefined || prepare === undefined) {
      if (envelope.keyid === undefined) return { frame, envelope, verdict: { outcome: "unsigned" } };
      return verifyEnvelopeAsync(envelope, trust).then((verdict) => ({ frame, envelope, verdict }));
    }
    const prepared = (checked: CheckedFrame & { verdict: { outcome: VerifyOutcome } }) => {
      const fetching = policy.accepts(checked.verdict.outcome, envelope.type) ? prepare(dataschema) : undefined;
      return fetching === undefined
        ? checked
        : fetching.then(
            () => checked,
            () => checked,
          );
    };
    if (envelope.keyid === undefined) return prepared({ frame, envelope, verdict: { outcome: "unsigned" } });
    return verifyEnvelopeAsync(envelope, trust).then((verdict) => prepared({ frame, envelope, verdict }));
  };

  const decide = (checked: CheckedFrame): AdmissionResult => {
    if ("heartbeat" in checked) {
      // In arrival order with the messages, so every number it names has arrived or is lost.
      const stamp = checked.frame.stamp;
      const gap = stamp === undefined ? undefined : gaps.observeLatest(checked.frame.topic, stamp);
      if (gap !== undefined) {
        stats.missed += gap.missed;
        stats.gaps++;
        options.onGap?.(gap);
      }
      return { status: "heartbeat" };
    }
    if ("rejection" in checked) return reject(checked.rejection);
    const { frame, envelope, verdict } = checked;
    if (!policy.accepts(verdict.outcome, envelope.type)) {
      const detail =
        verdict.outcome === "unsigned"
          ? `unsigned messages are not accepted on ${envelope.type}`
          : (verdict.reason ?? verdict.outcome);
      return reject({ reason: verdict.outcome as RejectReason, detail, topic: frame.topic });
    }
    if (policy.requiresCanonical?.(envelope.type)) {
      const problems = nonCanonicalAttributes(envelope);
      if (problems.length > 0)
        return reject({ reason: "not-canonical", detail: problems.join("; "), topic: frame.topic });
    }
    if (duplicates.isRepeat(envelope.id)) {
      stats.duplicates++;
      return { status: "duplicate", id: envelope.id };
    }
    // Gaps are counted only for a frame whose envelope verified and is new: a garbage, forged or
    // replayed frame with a made-up stamp can neither report missed messages nor start a recovery.
    if (frame.stamp !== undefined) {
      const gap = gaps.observe(frame.topic, frame.stamp);
      if (gap !== undefined) {
        stats.missed += gap.missed;
        stats.gaps++;
        options.onGap?.(gap);
      }
    }
    if (firstHop !== undefined) {
      const refusal = firstHopRefusal(envelope, trust, firstHop.maxFutureMs, firstHop.maxAgeMs);
      if (refusal !== undefined) return reject({ ...refusal, topic: frame.topic });
    }
    const schema = checkSchema(envelope, options.schemas);
    if (typeof schema === "object") return reject({ ...schema, topic: frame.topic });
    stats.accepted++;
    const outcome = verdict.outcome as ReceivedMessage["outcome"];
    const message: ReceivedMessage = { topic: frame.topic, envelope, raw: frame.body, outcome, schema };
    if (frame.stamp !== undefined) message.stamp = frame.stamp;
    return { status: "accepted", message };
  };

  return {
    stats,
    check,
    decide,
    admit: async (frame) => decide(await check(frame)),
    forget: (id) => duplicates.forget(id),
  };
}

/** The schema verdict of an accepted envelope, or the rejection when its data is invalid. */
/** What the first hop's clock says of a verified envelope: nothing, or why it is refused. */
function firstHopRefusal(
  envelope: Envelope,
  trust: TrustStore,
  maxFutureMs: number,
  maxAgeMs: number | undefined,
): { reason: "key-expired" | "malformed"; detail: string } | undefined {
  const now = Date.now();
  const time = Date.parse(envelope.time);
  if (time > now + maxFutureMs)
    return { reason: "malformed", detail: `time ${envelope.time} is ahead of this hop's clock` };
  if (maxAgeMs !== undefined && time < now - maxAgeMs)
    return { reason: "malformed", detail: `time ${envelope.time} is older than the replay window` };
  const key = envelope.keyid === undefined ? undefined : trust.get(envelope.keyid);
  if (
    key !== undefined &&
    ((key.notAfter !== undefined && now > key.notAfter) || (key.notBefore !== undefined && now < key.notBefore))
  )
    return { reason: "key-expired", detail: `key ${key.keyid} may not sign now, whatever time the message names` };
  return undefined;
}

function checkSchema(
  envelope: Envelope,
  schemas: SchemaRegistry | undefined,
): ReceivedMessage["schema"] | { reason: "invalid-data"; detail: string } {
  if (schemas === undefined) return "unchecked";
  if (envelope.dataschema === undefined) return "none";
  // A dataschema must name the topic's own schema: one of another cannot vouch for this data.
  const { dataschema } = envelope;
  const slash = dataschema.lastIndexOf("/");
  const name = dataschema.startsWith("herald:") && slash > 7 ? dataschema.slice(7, slash) : "";
  if (
    name === "" ||
    !envelope.type.endsWith(name) ||
    envelope.type.charCodeAt(envelope.type.length - name.length - 1) !== 0x2e
  )
    return "none";
  // A schema that cannot be compiled or used (one from elsewhere that slipped past admission)
  // refuses this message with its reason; it never throws into the receive loop.
  let check: ReturnType<DataSchema["check"]>;
  try {
    const lookup = schemas.lookup(envelope.dataschema);
    if (lookup.status !== "found") return lookup.status;
    check = lookup.schema.check(envelope.data);
  } catch (cause) {
    const why = cause instanceof RangeError ? "it recurses without end" : (cause as Error).message.slice(0, 200);
    return { reason: "invalid-data", detail: `${envelope.dataschema}: the schema cannot be used: ${why}` };
  }
  if (check.ok) return "valid";
  return { reason: "invalid-data", detail: `${envelope.dataschema}: ${check.path} ${check.message}` };
}
