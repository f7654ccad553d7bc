import type { SigningKey } from "@herald/sdk";
import { createEnvelope, type Envelope, type JsonObject, signEnvelope } from "@herald/sdk";

/**
 * What the relay takes from HTTP posts and spool files alike: an envelope goes on exactly as sent;
 * `{topic, data[, source, dataschema, time]}` (what PHP and shell scripts write) becomes a new
 * envelope, signed with the relay's key when it has one. Returns the reason when it is neither.
 */
export function preparePost(
  value: unknown,
  raw: Buffer,
  key: SigningKey | undefined,
): { topic: string; body: Buffer } | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  const post = value as Record<string, unknown>;
  if ("specversion" in post) return { topic: typeof post.type === "string" ? post.type : "", body: raw };
  if (typeof post.topic !== "string") return "expected an envelope or {topic, data}";
  if (typeof post.data !== "object" || post.data === null || Array.isArray(post.data))
    return "data must be a JSON object";
  let envelope: Envelope;
  try {
    envelope = createEnvelope({
      topic: post.topic,
      data: post.data as JsonObject,
      ...(typeof post.source === "string" ? { source: post.source } : {}),
      ...(typeof post.dataschema === "string" ? { dataschema: post.dataschema } : {}),
      // A queued post keeps the time it happened, not the time it was delivered.
      ...(typeof post.time === "string" && !Number.isNaN(Date.parse(post.time)) ? { time: new Date(post.time) } : {}),
    });
  } catch (error) {
    return (error as Error).message;
  }
  if (key !== undefined) envelope = signEnvelope(envelope, key);
  return { topic: envelope.type, body: Buffer.from(JSON.stringify(envelope), "utf8") };
}
