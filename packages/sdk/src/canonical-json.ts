import canonicalize from "canonicalize";
import { HeraldError } from "./errors.js";

/**
 * Serializes a JSON value with the JSON Canonicalization Scheme (RFC 8785): keys sorted by UTF-16
 * code units, ECMAScript number formatting, minimal string escapes. Uses the `canonicalize`
 * package, written by one of the RFC's authors, rather than a hand-rolled serializer.
 * @throws HeraldError `E_ENVELOPE` for values JCS cannot represent (NaN, Infinity, lone surrogates).
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (cause) {
    throw new HeraldError("E_ENVELOPE", `cannot canonicalize: ${(cause as Error).message}`, { cause });
  }
  if (text === undefined) throw new HeraldError("E_ENVELOPE", "cannot canonicalize undefined");
  return text;
}
