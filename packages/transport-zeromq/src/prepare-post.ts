import type { SigningKey } from "@herald/sdk";
import { createEnvelope, type Envelope, type JsonObject, signEnvelope } from "@herald/sdk";

/** How far ahead of the relay's clock a post's `time` may be: clocks drift, the future does not come early. */
const maxClockSkewMs = 60_000;

/**
 * What the relay takes from HTTP posts and spool files alike: an envelope goes on exactly as sent;
 * `{topic, data[, source, dataschema, time]}` (what PHP and shell scripts write) becomes a new
 * envelope, signed with the relay's key when it has one. A post's `time` may not be ahead of the
 * relay's clock, nor older than `maxAgeMs` when given (a live HTTP post; a spooled one keeps the
 * time it happened). Returns the reason when it is neither.
 */
export function preparePost(
  value: unknown,
  raw: Buffer,
  key: SigningKey | undefined,
  options: { maxAgeMs?: number } = {},
): { topic: string; body: Buffer } | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  const post = value as Record<string, unknown>;
  if ("specversion" in post) return { topic: typeof post.type === "string" ? post.type : "", body: raw };
  if (typeof post.topic !== "string") return "expected an envelope or {topic, data}";
  if (typeof post.data !== "object" || post.data === null || Array.isArray(post.data))
    return "data must be a JSON object";
  if (post.time !== undefined) {
    const time = typeof post.time === "string" ? Date.parse(post.time) : Number.NaN;
    if (Number.isNaN(time)) return "time must be an RFC 3339 date-time";
    if (time > Date.now() + maxClockSkewMs) return `time ${post.time} is ahead of the relay's clock`;
    if (options.maxAgeMs !== undefined && time < Date.now() - options.maxAgeMs)
      return `time ${post.time} is more than ${Math.round(options.maxAgeMs / 1000)} s old: post events as they happen`;
  }
  let envelope: Envelope;
  try {
    envelope = createEnvelope({
      topic: post.topic,
      data: post.data as JsonObject,
      ...(typeof post.source === "string" ? { source: post.source } : {}),
      ...(typeof post.dataschema === "string" ? { dataschema: post.dataschema } : {}),
      // A queued post keeps the time it happened, not the time it was delivered.
      ...(typeof post.time === "string" ? { time: new Date(post.time) } : {}),
    });
  } catch (error) {
    return (error as Error).message;
  }
  if (key !== undefined) envelope = signEnvelope(envelope, key);
  return { topic: envelope.type, body: Buffer.from(JSON.stringify(envelope), "utf8") };
}
