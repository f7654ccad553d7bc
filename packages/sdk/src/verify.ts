import { type Envelope, envelopeTime, findMalformation } from "./envelope.js";
import { signingText } from "./signing.js";
import type { TrustStore } from "./trust.js";

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

/** The outcome of {@link verifyEnvelope} and, for `malformed`, what is wrong. */
export interface VerifyResult {
  outcome: VerifyOutcome;
  /** A short human reason, set when the outcome is not `valid` or `unsigned`. */
  reason?: string;
}

const signaturePattern = /^[A-Za-z0-9+/]{86}==$/;

/**
 * Verifies a received value against a trust store and returns exactly one outcome of
 * PROTOCOL.md §4. Never throws: anything that cannot be checked is `malformed` or `bad-signature`.
 */
export function verifyEnvelope(value: unknown, trust: TrustStore): VerifyResult {
  const malformation = findMalformation(value);
  if (malformation !== undefined) return { outcome: "malformed", reason: malformation };
  const envelope = value as Envelope;
  if (envelope.keyid === undefined) return { outcome: "unsigned" };
  const key = trust.get(envelope.keyid);
  if (key === undefined) return { outcome: "unknown-key", reason: `key ${envelope.keyid} is not in ${trust.origin}` };
  if (!signatureVerifies(envelope, key.publicKey)) {
    return { outcome: "bad-signature", reason: `signature does not verify with key ${envelope.keyid}` };
  }
  if (key.revoked) return { outcome: "key-revoked", reason: `key ${envelope.keyid} is revoked` };
  const time = envelopeTime(envelope);
  if ((key.notBefore !== undefined && time < key.notBefore) || (key.notAfter !== undefined && time > key.notAfter)) {
    return { outcome: "key-expired", reason: `key ${envelope.keyid} may not sign at ${envelope.time}` };
  }
  if (!key.topics.some((pattern) => pattern.matches(envelope.type))) {
    return { outcome: "topic-not-allowed", reason: `key ${envelope.keyid} may not sign ${envelope.type}` };
  }
  return { outcome: "valid" };
}

function signatureVerifies(envelope: Envelope, publicKey: { verify(m: Uint8Array, s: Uint8Array): boolean }): boolean {
  const sig = envelope.sig as string;
  if (!signaturePattern.test(sig)) return false;
  let text: string;
  try {
    text = signingText(envelope);
  } catch {
    // Not canonicalizable (a lone surrogate): nothing can have signed it.
    return false;
  }
  return publicKey.verify(Buffer.from(text, "utf8"), Buffer.from(sig, "base64"));
}
