import type { SearchFilters } from "./search-query.js";

/** A WHERE clause with its parameters, in `?` placeholder style. */
export interface SqlWhere {
  sql: string;
  params: unknown[];
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * The WHERE clause of datagrepper's filters over the `messages` table (alias `m`): OR within a
 * filter's values, AND across filters, `not_` forms excluding. Shared by every SQL backend.
 */
export function sqlWhere(filters: SearchFilters): SqlWhere {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: string[], negate: boolean) => {
    if (values.length === 0) return;
    clauses.push(`${column} ${negate ? "NOT IN" : "IN"} (${values.map(() => "?").join(", ")})`);
    params.push(...values);
  };
  const linked = (table: string, values: string[], negate: boolean) => {
    if (values.length === 0) return;
    clauses.push(
      `${negate ? "NOT " : ""}EXISTS (SELECT 1 FROM ${table} l WHERE l.seq = m.seq AND l.name IN (${values.map(() => "?").join(", ")}))`,
    );
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
  inList("m.topic", filters.topic, false);
  inList("m.topic", filters.notTopic, true);
  inList("m.category", filters.category, false);
  inList("m.category", filters.notCategory, true);
  inList("m.source", filters.source, false);
  inList("m.source", filters.notSource, true);
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
  return { sql: clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`, params };
}
