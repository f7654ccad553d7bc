import { knownAttributes } from "./core-attributes.js";
import type { Envelope } from "./envelope.js";

/** The attributes of PROTOCOL.md §2 that are not extensions, with CloudEvents' `data_base64` (refused, but not an extension). */
const core = new Set([...knownAttributes, "data_base64"]);

/** RFC 3339 in UTC with exactly three fraction digits and upper-case `T` and `Z`, as §2 writes it. */
const canonicalTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** A character a URI may hold as it is (RFC 3986 unreserved and reserved), or a %-escape. */
const uriCharacter = "(?:[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})";
/** An absolute URI: a scheme, a colon, URI characters (what CloudEvents SDKs check `dataschema` by). */
const absoluteUri = new RegExp(`^[A-Za-z][A-Za-z0-9+.-]*:${uriCharacter}*$`);
/** A URI reference (what CloudEvents SDKs check `source` by). */
const uriReference = new RegExp(`^${uriCharacter}+$`);
/** CloudEvents' Integer: a signed 32-bit number. */
const int32 = (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;

/**
 * What in an envelope is not in the canonical form of PROTOCOL.md §2 — the form every CloudEvents
 * SDK carries through unchanged, and so the only one whose signature survives an SDK's round
 * trip: `time` in UTC with milliseconds (`2026-11-27T16:38:04.123Z`), `dataschema` an absolute URI,
 * `source` a URI reference, each extension attribute a string, a boolean or a 32-bit integer (not
 * an object, a list, null or a fraction). Verification does not look at this (PROTOCOL.md §4
 * stays as it is): a deployment that forwards to CloudEvents SDKs refuses such envelopes with the
 * policy's `canonicalOnly`, and `herald verify` and the bridges warn about them.
 * @returns one sentence per problem, naming the attribute; empty when the envelope is canonical.
 */
export function nonCanonicalAttributes(envelope: Envelope): string[] {
  const problems: string[] = [];
  const time = envelope.time;
  if (typeof time === "string" && !canonicalTime.test(time)) {
    const parsed = Date.parse(time);
    const instead = Number.isNaN(parsed) ? "" : ` (${new Date(parsed).toISOString()})`;
    problems.push(`time ${JSON.stringify(time)} is not RFC 3339 UTC with milliseconds${instead}`);
  }
  if (envelope.dataschema !== undefined && !absoluteUri.test(String(envelope.dataschema)))
    problems.push(`dataschema ${JSON.stringify(envelope.dataschema)} is not an absolute URI`);
  if (typeof envelope.source === "string" && !uriReference.test(envelope.source))
    problems.push(`source ${JSON.stringify(envelope.source)} is not a URI reference`);
  for (const [name, value] of Object.entries(envelope)) {
    if (core.has(name)) continue;
    if (typeof value === "string" || typeof value === "boolean") continue;
    if (typeof value === "number" && int32(value)) continue;
    const what =
      value === null
        ? "null"
        : Array.isArray(value)
          ? "a list"
          : typeof value === "object"
            ? "an object"
            : typeof value === "number"
              ? `${value}, not a 32-bit integer`
              : typeof value;
    problems.push(`extension ${name} is ${what}: CloudEvents extensions are strings, booleans or integers`);
  }
  return problems;
}
