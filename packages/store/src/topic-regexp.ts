/** True when a `topic` filter value is an AMQP pattern (`*` one token, `#` any number) rather than a topic. */
export const isTopicPattern = (value: string): boolean => value.includes("*") || value.includes("#");

/**
 * A topic pattern as a regular expression over `'.' || topic`, which both SQLite (through the
 * `regexp` function the store registers) and PostgreSQL (`~`) evaluate the same way. Prefixing
 * each token with its dot lets `#` be "zero or more `.token`" with no special cases.
 */
export function topicPatternRegexp(pattern: string): string {
  const tokens = pattern.split(".").map((token) => {
    if (token === "*") return "\\.[^.]+";
    if (token === "#") return "(\\.[^.]+)*";
    return `\\.${token.replace(/[^A-Za-z0-9_]/g, (character) => `\\${character}`)}`;
  });
  return `^${tokens.join("")}$`;
}
