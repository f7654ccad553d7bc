import type { IncomingHttpHeaders } from "node:http";

/**
 * True when a request is a CloudEvents binary-mode message (HTTP protocol binding §3.1): its
 * attributes travel as `ce-*` headers and its body is the event's data.
 */
export function isBinaryMode(headers: IncomingHttpHeaders): boolean {
  return headers["ce-specversion"] !== undefined;
}

/**
 * The envelope a binary-mode request carries, in the shape structured mode would have sent: each
 * `ce-<name>` header becomes attribute `<name>` (percent-decoded, HTTP binding §3.1.3.2), the
 * content type becomes `datacontenttype` and the body, JSON, becomes `data`. Returns a reason
 * when the request cannot be such an envelope.
 *
 * Binary mode carries every attribute as a string: an extension a signer gave as a number or a
 * boolean arrives as text, and its signature no longer verifies — which Herald's canonical
 * envelopes avoid by using string-valued extensions only.
 */
export function envelopeFromBinary(
  rawHeaders: readonly string[],
  data: unknown,
  contentType: string,
): Record<string, unknown> | string {
  const envelope: Record<string, unknown> = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const header = (rawHeaders[index] as string).toLowerCase();
    if (!header.startsWith("ce-")) continue;
    const name = header.slice(3);
    if (!/^[a-z0-9]{1,20}$/.test(name)) return `header ${header}: a CloudEvents attribute name is 1 to 20 of [a-z0-9]`;
    if (name === "data" || name === "datacontenttype")
      return `header ${header}: ${name} travels as the body and its content-type`;
    // Own properties only: `in` would find `constructor` on Object.prototype.
    if (Object.hasOwn(envelope, name)) return `header ${header}: given more than once`;
    const decoded = percentDecode(rawHeaders[index + 1] as string);
    if (decoded === undefined) return `header ${header}: not valid percent-encoded UTF-8`;
    envelope[name] = decoded;
  }
  if (envelope.specversion !== "1.0") return `ce-specversion must be 1.0, got ${String(envelope.specversion)}`;
  envelope.datacontenttype = contentType;
  envelope.data = data;
  return envelope;
}

/** Decodes `%XX` sequences as UTF-8; undefined when they are not valid UTF-8. */
function percentDecode(value: string): string | undefined {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
