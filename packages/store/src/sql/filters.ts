import { isTopicPattern } from "@herald/sdk";
import type { SqlDialect } from "@herald/sql";
import type { SearchFilters } from "../search-query.js";

/** SQL text with its parameters, in `?` placeholder style. */
export interface Sql {
  sql: string;
  params: unknown[];
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/**
 * The conditions of datagrepper's filters over the `messages` table (alias `m`): OR within a
 * filter's values, AND across filters, `not_` forms excluding. A `topic` value with `*` or `#` is
 * an AMQP pattern (a Herald extension). Shared by every SQL backend; returns the bare conditions
 * (no `WHERE`), `TRUE` when there are none.
 */
export function sqlConditions(filters: SearchFilters, dialect: SqlDialect): Sql {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const topics = (values: string[], negate: boolean) => {
    const exact = values.filter((value) => !isTopicPattern(value));
    const patterns = values.filter(isTopicPattern).map(dialect.topicPatternParam);
    const any: string[] = [];
    if (exact.length > 0) any.push(`m.topic IN (${marks(exact)})`);
    for (const _ of patterns) any.push(dialect.topicMatches("m.topic"));
    if (any.length === 0) return;
    clauses.push(`${negate ? "NOT " : ""}(${any.join(" OR ")})`);
    params.push(...exact, ...patterns);
  };
  const inList = (column: string, values: string[], negate: boolean) => {
    if (values.length === 0) return;
    clauses.push(`${column} ${negate ? "NOT IN" : "IN"} (${marks(values)})`);
    params.push(...values);
  };
  // An IN over the link table's (name, seq) key reads only the matching rows' entries.
  const linked = (table: string, values: string[], negate: boolean) => {
    if (values.length === 0) return;
    clauses.push(`m.seq ${negate ? "NOT IN" : "IN"} (SELECT seq FROM ${table} WHERE name IN (${marks(values)}))`);
    params.push(...values);
  };
  if (filters.start !== undefined) {
    clauses.push("m.time >= ?");
    params.push(filters.start);
  }
  if (filters.end !== undefined) {
    clauses.push("m.time < ?");
    params.push(filters.end);
  }
  topics(filters.topic, false);
  topics(filters.notTopic, true);
  inList("m.category", filters.category, false);
  inList("m.category", filters.notCategory, true);
  inList("m.source", filters.source, false);
  inList("m.source", filters.notSource, true);
  inList("m.agent", filters.agent, false);
  inList("m.agent", filters.notAgent, true);
  linked("message_users", filters.user, false);
  linked("message_users", filters.notUser, true);
  linked("message_packages", filters.package, false);
  linked("message_packages", filters.notPackage, true);
  if (filters.contains.length > 0) {
    clauses.push(`(${filters.contains.map(() => "m.raw LIKE ? ESCAPE '\\'").join(" OR ")})`);
    params.push(...filters.contains.map(like));
  }
  for (const text of filters.notContains) {
    clauses.push("m.raw NOT LIKE ? ESCAPE '\\'");
    params.push(like(text));
  }
  return { sql: clauses.length === 0 ? "TRUE" : clauses.join(" AND "), params };
}
