/**
 * What differs between the SQL backends in the queries they share. Queries are written once with
 * `?` placeholders; PostgreSQL numbers them (see `numberPlaceholders`).
 */
export interface SqlDialect {
  /** The operator that matches text against a regular expression: `REGEXP` (SQLite) or `~` (PostgreSQL). */
  readonly regexp: string;
}

export const sqliteDialect: SqlDialect = { regexp: "REGEXP" };
export const postgresDialect: SqlDialect = { regexp: "~" };

/** `?` placeholders to PostgreSQL's `$1, $2, …` (queries never hold `?` in literals). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
