import { TextDecoder } from "node:util";
import { HeraldError, readBoundedJson } from "@herald/sdk";
import { type AsyncMessage, ConsumerStatus } from "rabbitmq-client";
import type { ForwardOutcome } from "./bus-forwarder.js";

/**
 * The JSON object in an AMQP message's body, however it was sent; see {@link jsonObjectOf}.
 * @throws HeraldError `E_ENVELOPE` when the body is not a JSON object, or cannot be read exactly.
 */
export function jsonBodyOf(message: AsyncMessage): object {
  return jsonObjectOf(message.body, message.contentEncoding);
}

/**
 * The JSON object in a message body from any broker. Bytes are decoded with the message's
 * `content_encoding` when it names a character set (fedora-messaging sends `utf-8`; `latin-1`,
 * `utf-16` and the other WHATWG labels are read too) and go through the bounded reader; an
 * integer beyond ±(2^53−1) becomes a string of its exact digits (PROTOCOL.md §2). A body the
 * client library already decoded (`rabbitmq-client` parses `application/json` without an encoding,
 * an AMQP 1.0 map arrives as an object) is refused when it holds such an integer, since its digits
 * are already lost — never passed on rounded.
 * @throws HeraldError `E_ENVELOPE` when the body is not a JSON object, or cannot be read exactly.
 */
export function jsonObjectOf(body: unknown, contentEncoding?: string): object {
  if (body instanceof Uint8Array && !Buffer.isBuffer(body))
    body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (Buffer.isBuffer(body) || typeof body === "string") {
    const reading = readBoundedJson(Buffer.isBuffer(body) ? decoded(body, contentEncoding) : body, {
      unsafeIntegers: "string",
    });
    if (!reading.ok)
      throw new HeraldError(
        "E_ENVELOPE",
        reading.reason === "not-json"
          ? "the body is not JSON"
          : `the body is refused: ${reading.reason}: ${reading.detail}`,
      );
    body = reading.value;
  } else {
    const rounded = roundedIntegerIn(body, "");
    if (rounded !== undefined)
      throw new HeraldError(
        "E_ENVELOPE",
        `the body is refused: unsafe-integer: the integer at ${rounded || "/"} is beyond ±(2^53−1) and was rounded by the AMQP client; send it as a string, or set content_encoding`,
      );
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new HeraldError("E_ENVELOPE", "the body is not a JSON object");
  return body;
}

/** The body as text in its declared character set (UTF-8 when none is declared). */
function decoded(body: Buffer, encoding: string | undefined): Buffer | string {
  const label = encoding?.trim().toLowerCase();
  if (label === undefined || label === "" || label === "utf-8" || label === "utf8") return body;
  // Python's codec names (what fedora-messaging apps pass) differ from the WHATWG labels
  // TextDecoder knows: "latin_1", "utf_16_le", "iso8859-15". Latin-1 is decoded by Node itself,
  // since WHATWG maps that label to windows-1252, which reads 0x80–0x9F differently.
  const squashed = label.replace(/[-_\s]/g, "");
  if (latin1Names.has(squashed)) return body.toString("latin1");
  const hyphenated = label.replace(/[_\s]/g, "-");
  const candidates = [label, hyphenated, hyphenated.replace(/-(le|be)$/, "$1"), squashed];
  const decoder = candidates.map(decoderFor).find((found) => found !== undefined);
  if (decoder === undefined)
    throw new HeraldError(
      "E_ENVELOPE",
      `the body's content_encoding ${JSON.stringify(encoding)} is not a character set Herald reads`,
    );
  try {
    return decoder.decode(body);
  } catch {
    throw new HeraldError("E_ENVELOPE", `the body is not valid ${label}`);
  }
}

/** Python's and IANA's names for ISO-8859-1, hyphens and underscores removed. */
const latin1Names = new Set(["latin1", "latin", "l1", "iso88591", "iso885911987", "8859", "cp819", "ibm819"]);

function decoderFor(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    return undefined;
  }
}

/** The JSON Pointer of the first number that is an integer beyond ±(2^53−1), if any. */
function roundedIntegerIn(value: unknown, at: string, depth = 0): string | undefined {
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value) ? at : undefined;
  if (typeof value !== "object" || value === null || depth > 64) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = roundedIntegerIn(child, `${at}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The header a bridge puts on what it publishes, so it can leave its own messages alone. */
export const bridgeHeader = "x-herald-bridge";

/**
 * A forwarded message's outcome as an AMQP 0-9-1 consumer's answer: acknowledged, dead-lettered
 * (`<queue>.dead`), or back to the queue for the next consumer.
 */
export function consumerStatusOf(result: ForwardOutcome): ConsumerStatus {
  if (result.outcome === "accept") return ConsumerStatus.ACK;
  return result.outcome === "reject" ? ConsumerStatus.DROP : ConsumerStatus.REQUEUE;
}
