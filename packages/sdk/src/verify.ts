import { type Envelope, envelopeTime, findMalformation } from "./envelope.js";
import { signingText } from "./signing.js";
import type { TrustedKey, TrustStore } from "./trust.js";

/** The verification outcomes of PROTOCOL.md §4, in the order they are checked. */
export type VerifyOutcome =
  | "malformed"
  | "unsigned"
  | "unknown-key"
  | "bad-signature"
  | "key-revoked"
  | "key-expired"
  | "topic-not-allowed"
  | "valid";

/** Every outcome, in checking order. */
export const verifyOutcomes: readonly VerifyOutcome[] = [
  "malformed",
  "unsigned",
  "unknown-key",
  "bad-signature",
  "key-revoked",
  "key-expired",
  "topic-not-allowed",
  "valid",
];

/** The outcome of {@link verifyEnvelope} and, when not `valid` or `unsigned`, what is wrong. */
export interface VerifyResult {
  outcome: VerifyOutcome;
  reason?: string;
}

/** A signature still to be checked, and the key to check it with. */
interface PendingSignature {
  envelope: Envelope;
  key: TrustedKey;
  message: Buffer;
  signature: Buffer;
}

const signaturePattern = /^[A-Za-z0-9+/]{86}==$/;
const badSignature = (keyid: string): VerifyResult => ({
  outcome: "bad-signature",
  reason: `signature does not verify with key ${keyid}`,
});

/** The checks before the signature: a final result, or the signature to check. */
function beforeSignature(value: unknown, trust: TrustStore): VerifyResult | PendingSignature {
  const malformation = findMalformation(value);
  if (malformation !== undefined) return { outcome: "malformed", reason: malformation };
  const envelope = value as Envelope;
  if (envelope.keyid === undefined) return { outcome: "unsigned" };
  const key = trust.get(envelope.keyid);
  if (key === undefined) return { outcome: "unknown-key", reason: `key ${envelope.keyid} is not in ${trust.origin}` };
  const sig = envelope.sig as string;
  if (!signaturePattern.test(sig)) return badSignature(envelope.keyid);
  let text: string;
  try {
    text = signingText(envelope);
  } catch {
    // Not canonicalizable (a lone surrogate): nothing can have signed it.
    return badSignature(envelope.keyid);
  }
  return { envelope, key, message: Buffer.from(text, "utf8"), signature: Buffer.from(sig, "base64") };
}

/** The checks after a good signature: revocation, validity period, topic rights. */
function afterSignature({ envelope, key }: PendingSignature): VerifyResult {
  if (key.revoked) return { outcome: "key-revoked", reason: `key ${key.keyid} is revoked` };
  const time = envelopeTime(envelope);
  if ((key.notBefore !== undefined && time < key.notBefore) || (key.notAfter !== undefined && time > key.notAfter)) {
    return { outcome: "key-expired", reason: `key ${key.keyid} may not sign at ${envelope.time}` };
  }
  if (!key.topics.some((pattern) => pattern.matches(envelope.type))) {
    return { outcome: "topic-not-allowed", reason: `key ${key.keyid} may not sign ${envelope.type}` };
  }
  return { outcome: "valid" };
}

/**
 * Verifies a received value against a trust store and returns exactly one outcome of
 * PROTOCOL.md §4. Never throws: anything that cannot be checked is `malformed` or `bad-signature`.
 */
export function verifyEnvelope(value: unknown, trust: TrustStore): VerifyResult {
  const pending = beforeSignature(value, trust);
  if ("outcome" in pending) return pending;
  if (!pending.key.publicKey.verify(pending.message, pending.signature)) return badSignature(pending.key.keyid);
  return afterSignature(pending);
}

/**
 * {@link verifyEnvelope} with the signature checked off the main thread (a pool of worker threads, in batches), so
 * many messages verify in parallel on every core. Same outcomes, never rejects.
 */
export async function verifyEnvelopeAsync(value: unknown, trust: TrustStore): Promise<VerifyResult> {
  const pending = beforeSignature(value, trust);
  if ("outcome" in pending) return pending;
  if (!(await pending.key.publicKey.verifyAsync(pending.message, pending.signature)))
    return badSignature(pending.key.keyid);
  return afterSignature(pending);
}
