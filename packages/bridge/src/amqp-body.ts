import { HeraldError, readBoundedJson } from "@herald/sdk";
import type { AsyncMessage } from "rabbitmq-client";

/**
 * The JSON object in an AMQP message's body, however it was sent (`rabbitmq-client` parses
 * `application/json` without an encoding itself; fedora-messaging sets `utf-8`, so that arrives as bytes).
 * @throws HeraldError `E_ENVELOPE` when the body is not a JSON object.
 */
export function jsonBodyOf(message: AsyncMessage): object {
  let body: unknown = message.body;
  if (Buffer.isBuffer(body) || typeof body === "string") {
    const reading = readBoundedJson(body);
    if (!reading.ok)
      throw new HeraldError(
        "E_ENVELOPE",
        reading.reason === "not-json"
          ? "the body is not JSON"
          : `the body is refused: ${reading.reason}: ${reading.detail}`,
      );
    body = reading.value;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new HeraldError("E_ENVELOPE", "the body is not a JSON object");
  return body;
}

/** The header a bridge puts on what it publishes, so it can leave its own messages alone. */
export const bridgeHeader = "x-herald-bridge";
