import { HeraldError } from "./errors.js";

const tokenPattern = /^[a-z0-9][a-z0-9_-]*$/;
const maxTopicBytes = 255;
const minTopicTokens = 4;

/** The parts a topic is built from: `<prefix>.<environment>.<app>.<event...>` (PROTOCOL.md §1). */
export interface TopicParts {
  /** One or more tokens, e.g. `org.example`. */
  prefix: string;
  /** `prod`, `stg`, `dev`, ... */
  environment: string;
  /** The emitting service, e.g. `git`. */
  app: string;
  /** An object and a past-tense verb, e.g. `article.edit`. */
  event: string;
}

/** True when `token` is one topic token: lower-case ASCII, digits, `_`, `-`, no leading `_`/`-`. */
export function isValidTopicToken(token: string): boolean {
  return tokenPattern.test(token);
}

/**
 * Tells whether `topic` is a valid topic of PROTOCOL.md §1: at least four valid tokens and at most
 * 255 bytes. Use it on anything that came from outside before routing on it.
 */
export function isValidTopic(topic: unknown): topic is string {
  if (typeof topic !== "string" || topic.length === 0 || topic.length > maxTopicBytes) return false;
  // Valid tokens are ASCII, so the length in characters is the length in bytes.
  const tokens = topic.split(".");
  return tokens.length >= minTopicTokens && tokens.every(isValidTopicToken);
}

/**
 * Throws a `E_TOPIC` {@link HeraldError} naming what is wrong when `topic` is not valid.
 * @throws HeraldError
 */
export function assertValidTopic(topic: string): void {
  if (isValidTopic(topic)) return;
  throw new HeraldError("E_TOPIC", `invalid topic ${JSON.stringify(topic)}: ${explainTopic(topic)}`);
}

function explainTopic(topic: string): string {
  if (Buffer.byteLength(topic) > maxTopicBytes) return `longer than ${maxTopicBytes} bytes`;
  const tokens = topic.split(".");
  const bad = tokens.find((token) => !isValidTopicToken(token));
  if (bad !== undefined) {
    return bad === ""
      ? "empty token (leading, trailing or doubled dot)"
      : `token ${JSON.stringify(bad)} is not [a-z0-9][a-z0-9_-]*`;
  }
  return `needs at least ${minTopicTokens} dot-separated tokens, has ${tokens.length}`;
}

/**
 * Builds `<prefix>.<environment>.<app>.<event>` and checks the result.
 * @throws HeraldError `E_TOPIC` when a part makes the topic invalid.
 */
export function buildTopic(parts: TopicParts): string {
  const topic = `${parts.prefix}.${parts.environment}.${parts.app}.${parts.event}`;
  assertValidTopic(topic);
  return topic;
}

/**
 * The schema name of a topic: the topic without prefix and environment
 * (`org.example.prod.git.receive` → `git.receive`). Without `environment`, any one environment
 * token is skipped (a monitor or a bot watching `prod` and `stg` at once). Returns undefined when
 * the topic does not start with the prefix (and environment).
 */
export function schemaNameOf(topic: string, prefix: string, environment?: string): string | undefined {
  const head = `${prefix}.`;
  if (!topic.startsWith(head)) return undefined;
  const rest = topic.slice(head.length);
  const dot = rest.indexOf(".");
  if (dot <= 0 || (environment !== undefined && rest.slice(0, dot) !== environment)) return undefined;
  return rest.slice(dot + 1) || undefined;
}
