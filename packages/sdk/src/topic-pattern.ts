import { HeraldError } from "./errors.js";
import { isValidTopicToken } from "./topic.js";

/**
 * A compiled AMQP topic-exchange pattern (PROTOCOL.md §1): `*` is exactly one token, `#` zero or more.
 * Compile once with {@link compileTopicPattern}, then call `matches` per message.
 */
export interface TopicPattern {
  readonly source: string;
  /** True when `topic` matches. */
  matches(topic: string): boolean;
  /**
   * The literal part before the first wildcard, what a ZeroMQ prefix filter can use
   * (`org.example.*.git.#` → `org.example.`).
   */
  readonly literalPrefix: string;
}

/** True when `pattern` is a valid topic pattern: tokens, `*` or `#`, separated by dots. */
export function isValidTopicPattern(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > 255) return false;
  return pattern.split(".").every((token) => token === "*" || token === "#" || isValidTopicToken(token));
}

/**
 * Compiles a topic pattern for repeated matching. Runs of `#` are one `#` (they match the same),
 * and matching takes time linear in the topic's and the pattern's tokens whatever the pattern:
 * no backtracking, so a hostile pattern cannot stall a matcher.
 * @throws HeraldError `E_TOPIC` when the pattern is not valid.
 */
export function compileTopicPattern(pattern: string): TopicPattern {
  if (!isValidTopicPattern(pattern)) {
    throw invalidPattern(pattern);
  }
  const tokens = collapseHashes(pattern.split("."));
  const wildcardAt = tokens.findIndex((token) => token === "*" || token === "#");
  const literalPrefix =
    wildcardAt === -1
      ? pattern
      : tokens
          .slice(0, wildcardAt)
          .map((t) => `${t}.`)
          .join("");
  return { source: pattern, literalPrefix, matches: compileMatcher(tokens, wildcardAt, literalPrefix) };
}

/**
 * A matcher for the routing keys of a foreign AMQP broker, whose tokens need not be Herald topic
 * tokens: the same semantics and the same linear-time matching as {@link compileTopicPattern},
 * without its validation.
 */
export function compileRoutingKeyPattern(pattern: string): (routingKey: string) => boolean {
  const tokens = collapseHashes(pattern.split("."));
  return (routingKey) => matchTokens(tokens, routingKey.split("."));
}

/**
 * A topic pattern as the source of a regular expression over `"." + topic`, for a database that
 * matches inside its queries (PostgreSQL's `~`, whose engine does not backtrack). Prefixing each
 * token with its dot lets `#` be "zero or more `.token`" with no special cases.
 * @throws HeraldError `E_TOPIC` when the pattern is not valid.
 */
export function topicPatternRegExpSource(pattern: string): string {
  if (!isValidTopicPattern(pattern)) {
    throw invalidPattern(pattern);
  }
  return regExpSource(collapseHashes(pattern.split(".")));
}

/** The error for a pattern that is not valid, naming what is wrong with it. */
function invalidPattern(pattern: string): HeraldError {
  const bad = pattern.split(".").find((token) => token !== "*" && token !== "#" && !isValidTopicToken(token));
  const why =
    pattern.length > 255
      ? "longer than 255 characters"
      : bad === undefined || bad === ""
        ? "empty token (leading, trailing or doubled dot)"
        : `token ${JSON.stringify(bad)} is not [a-z0-9][a-z0-9_-]*, * or #`;
  return new HeraldError("E_TOPIC", `invalid topic pattern ${JSON.stringify(pattern)}: ${why}`);
}

/** True when a value holds a wildcard, so it is a pattern rather than a topic. */
export function isTopicPattern(value: string): boolean {
  return value.includes("*") || value.includes("#");
}

// `a.#.#.b` matches exactly what `a.#.b` matches.
function collapseHashes(tokens: readonly string[]): string[] {
  return tokens.filter((token, index) => token !== "#" || tokens[index - 1] !== "#");
}

function regExpSource(tokens: readonly string[]): string {
  const body = tokens
    .map((token) =>
      token === "#"
        ? "(?:\\.[^.]+)*"
        : token === "*"
          ? "\\.[^.]+"
          : `\\.${token.replace(/[^A-Za-z0-9_]/g, (character) => `\\${character}`)}`,
    )
    .join("");
  return `^${body}$`;
}

/**
 * Picks the cheapest exact matcher: equality for a literal pattern, a prefix test for `a.b.#`,
 * a regular expression when at most one `#` (one unbounded repetition cannot backtrack
 * exponentially), else token matching. Matching runs per received message, so this matters.
 */
function compileMatcher(tokens: string[], wildcardAt: number, literalPrefix: string): (topic: string) => boolean {
  const pattern = tokens.join(".");
  if (wildcardAt === -1) return (topic) => topic === pattern;
  if (pattern === "#") return () => true;
  const hashes = tokens.filter((token) => token === "#").length;
  if (hashes === 1 && wildcardAt === tokens.length - 1 && tokens[wildcardAt] === "#") {
    const bare = literalPrefix.slice(0, -1);
    return (topic) => topic.startsWith(literalPrefix) || topic === bare;
  }
  if (hashes <= 1) {
    const regex = new RegExp(regExpSource(tokens));
    return (topic) => regex.test(`.${topic}`);
  }
  return (topic) => matchTokens(tokens, topic.split("."));
}

/**
 * Matches tokens in one pass over the pattern, keeping the set of topic positions reachable so far
 * (a dynamic programme, O(pattern × topic)): a pattern full of `#` stays linear instead of
 * backtracking as a regular expression would.
 */
function matchTokens(pattern: readonly string[], topic: readonly string[]): boolean {
  // reachable[j]: the pattern prefix seen so far can consume exactly the first j topic tokens.
  let reachable = new Array<boolean>(topic.length + 1).fill(false);
  reachable[0] = true;
  for (const token of pattern) {
    const next = new Array<boolean>(topic.length + 1).fill(false);
    for (let j = 0; j <= topic.length; j++) {
      if (!reachable[j]) continue;
      if (token === "#") {
        for (let k = j; k <= topic.length; k++) next[k] = true;
        break;
      }
      if (j < topic.length && (token === "*" || token === topic[j])) next[j + 1] = true;
    }
    reachable = next;
  }
  return reachable[topic.length] === true;
}

/** Matches one topic against one pattern. Compile the pattern once when matching many topics. */
export function topicMatches(pattern: string, topic: string): boolean {
  return compileTopicPattern(pattern).matches(topic);
}

/** Compiles several patterns into one matcher that is true when any of them matches. */
export function compileTopicPatterns(patterns: readonly string[]): (topic: string) => boolean {
  const compiled = patterns.map(compileTopicPattern);
  return (topic) => compiled.some((pattern) => pattern.matches(topic));
}
