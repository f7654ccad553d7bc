import { canonicalJson } from "./canonical-json.js";
import type { Envelope } from "./envelope.js";
import type { SigningKey } from "./keys.js";

const signingPrefix = "herald-sig-v1\n";

/**
 * The text that is signed (PROTOCOL.md §3): `herald-sig-v1\n` and the JCS form of the envelope
 * with `keyid` set and without `sig`.
 */
export function signingText(envelope: Readonly<Record<string, unknown>>): string {
  const { sig: _sig, ...unsigned } = envelope;
  return signingPrefix + canonicalJson(unsigned);
}

/**
 * Returns a copy of `envelope` signed with `key`: `keyid` set to the key's id and `sig` to the
 * base64 Ed25519 signature. The input is left untouched.
 */
export function signEnvelope(envelope: Envelope, key: SigningKey): Envelope {
  const withKeyid: Envelope = { ...envelope, keyid: key.keyid };
  delete withKeyid.sig;
  const signature = key.sign(Buffer.from(signingText(withKeyid), "utf8"));
  return { ...withKeyid, sig: Buffer.from(signature).toString("base64") };
}
