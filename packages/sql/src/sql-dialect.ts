import { compileTopicPattern, type TopicPattern, topicPatternRegExpSource } from "@herald/sdk";

/**
 * What differs between the SQL backends in the queries they share. Queries are written once with
 * `?` placeholders; PostgreSQL gets them numbered (see {@link numberPlaceholders}).
 */
export interface SqlDialect {
  readonly name: "sqlite" | "postgres";
  /**
   * A condition true when the topic column matches a topic pattern, with one `?` placeholder for
   * {@link SqlDialect.topicPatternParam}: SQLite calls Herald's own matcher (registered by
   * `openSqliteFile`); PostgreSQL runs a regular expression in its non-backtracking engine.
   */
  topicMatches(column: string): string;
  /** The parameter for {@link SqlDialect.topicMatches}. */
  topicPatternParam(pattern: string): string;
}

/** SQLite: `herald_topic_matches(pattern, topic)`, the SDK's linear-time matcher. */
export const sqliteDialect: SqlDialect = {
  name: "sqlite",
  topicMatches: (column) => `herald_topic_matches(?, ${column})`,
  topicPatternParam: (pattern) => pattern,
};

/** PostgreSQL: `('.' || topic) ~ regexp`. */
export const postgresDialect: SqlDialect = {
  name: "postgres",
  topicMatches: (column) => `('.' || ${column}) ~ ?`,
  topicPatternParam: topicPatternRegExpSource,
};

const numbered = new Map<string, string>();

/** `?` placeholders to PostgreSQL's `$1, $2, …` (queries never hold `?` in literals); cached. */
export function numberPlaceholders(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size > 1000) numbered.clear();
    numbered.set(sql, text);
  }
  return text;
}

/** The SQLite function behind {@link sqliteDialect}: compiled patterns are kept, a query reuses a few. */
export function topicMatchesFunction(): (pattern: string, topic: string) => number {
  const compiled = new Map<string, TopicPattern>();
  return (pattern, topic) => {
    let matcher = compiled.get(pattern);
    if (matcher === undefined) {
      if (compiled.size > 1000) compiled.clear();
      matcher = compileTopicPattern(pattern);
      compiled.set(pattern, matcher);
    }
    return matcher.matches(topic) ? 1 : 0;
  };
}
