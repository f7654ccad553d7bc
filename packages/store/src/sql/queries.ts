import type { SqlDialect } from "@herald/sql";
import type { Cursor, SearchFilters, SearchQuery, StatsDimension } from "../search-query.js";
import { type Sql, sqlConditions } from "./filters.js";

/** The most rows `/herald/stats` answers (a `by=user` over years could be large). */
export const statsRowLimit = 10_000;

/** The hour a message time is counted under in `message_hours`. */
export const hourOf = (time: number): number => Math.floor(time / 3_600_000) * 3_600_000;

/** True when the filters restrict time only (or nothing): the hourly counts then answer. */
const timeOnly = (filters: SearchFilters) =>
  [
    filters.topic,
    filters.category,
    filters.user,
    filters.package,
    filters.source,
    filters.agent,
    filters.contains,
    filters.notTopic,
    filters.notCategory,
    filters.notUser,
    filters.notPackage,
    filters.notSource,
    filters.notAgent,
    filters.notContains,
  ].every((values) => values.length === 0);

/**
 * `SELECT … AS n`: how many messages the filters keep. Counting a million rows takes hundreds of
 * milliseconds in PostgreSQL, so a count over time alone (every search without filters, every
 * `delta=`) adds up the hourly counts kept at ingest (`message_hours`) and counts rows only in
 * the partial hours at either end. Exact either way.
 */
export function countSql(filters: SearchFilters, dialect: SqlDialect): Sql {
  const from = filters.start === undefined ? Number.MIN_SAFE_INTEGER : hourOf(filters.start + 3_599_999);
  const to = filters.end === undefined ? Number.MAX_SAFE_INTEGER : hourOf(filters.end);
  if (timeOnly(filters) && from <= to) {
    const start = filters.start ?? from;
    const end = filters.end ?? to;
    return {
      sql: `SELECT (SELECT coalesce(sum(n), 0) FROM message_hours WHERE hour >= ? AND hour < ?)
        + (SELECT count(*) FROM messages WHERE time >= ? AND time < ?)
        + (SELECT count(*) FROM messages WHERE time >= ? AND time < ?) AS n`,
      params: [from, to, start, from, to, end],
    };
  }
  const where = sqlConditions(filters, dialect);
  return { sql: `SELECT count(*) AS n FROM messages m WHERE ${where.sql}`, params: where.params };
}

/**
 * One page of a search, as rows `(time, seq, raw)`, one row more than asked so the caller knows
 * whether another page follows. Keyset pagination: with a cursor the page starts right after it;
 * with a page number the boundary row is found first on the (covering) index, then the page is
 * read from there, so a deep page skips index entries, never whole rows.
 */
export function pageSql(query: SearchQuery, dialect: SqlDialect): Sql {
  const where = sqlConditions(query, dialect);
  const direction = query.order === "asc" ? "ASC" : "DESC";
  const after = query.order === "asc" ? ">" : "<";
  const orderBy = `ORDER BY m.time ${direction}, m.seq ${direction}`;
  const limit = query.rowsPerPage + 1;
  if (query.cursor !== undefined) {
    return {
      sql: `SELECT m.time, m.seq, m.raw FROM messages m WHERE ${where.sql} AND (m.time, m.seq) ${after} (?, ?) ${orderBy} LIMIT ?`,
      params: [...where.params, query.cursor.time, query.cursor.seq, limit],
    };
  }
  if (query.page === 1) {
    return {
      sql: `SELECT m.time, m.seq, m.raw FROM messages m WHERE ${where.sql} ${orderBy} LIMIT ?`,
      params: [...where.params, limit],
    };
  }
  // A scalar subquery, not a join: planners then walk the index in order from the boundary and
  // stop after one page, where a join sorts everything before it.
  return {
    sql: `SELECT m.time, m.seq, m.raw FROM messages m WHERE ${where.sql} AND (m.time, m.seq) ${after}= (
        SELECT m.time, m.seq FROM messages m WHERE ${where.sql} ${orderBy} LIMIT 1 OFFSET ?
      ) ${orderBy} LIMIT ?`,
    params: [...where.params, ...where.params, (query.page - 1) * query.rowsPerPage, limit],
  };
}

/** Rows of a page to the raw messages and the cursor of the next page, if there is one. */
export function toPage(
  rows: readonly { time: number | string; seq: number | string; raw: string }[],
  rowsPerPage: number,
): { raw: string[]; next?: Cursor } {
  const page = rows.slice(0, rowsPerPage);
  const last = page.at(-1);
  return {
    raw: page.map((row) => row.raw),
    ...(rows.length > rowsPerPage && last !== undefined
      ? { next: { time: Number(last.time), seq: Number(last.seq) } }
      : {}),
  };
}

const dimensionSql: Record<StatsDimension, string> = {
  topic: "m.topic",
  category: "m.category",
  user: "u.name",
  hour: "(m.time / 3600000) * 3600000",
  day: "(m.time / 86400000) * 86400000",
};
const isTime = (dimension: StatsDimension) => dimension === "hour" || dimension === "day";

/**
 * Counts grouped by one or two dimensions, as rows `(k0[, k1], n)`: in key order when a time
 * bucket is among them (a series), else largest count first.
 */
export function statsSql(filters: SearchFilters, by: readonly StatsDimension[], dialect: SqlDialect): Sql {
  const where = sqlConditions(filters, dialect);
  const keys = by.map((dimension, index) => `${dimensionSql[dimension]} AS k${index}`);
  const join = by.includes("user") ? "JOIN message_users u ON u.seq = m.seq" : "";
  const groups = by.map((_, index) => `k${index}`);
  const keyOrder = groups.map((group) => `${group} ASC`);
  const order = by.some(isTime) ? keyOrder : ["n DESC", ...keyOrder];
  return {
    sql: `SELECT ${keys.join(", ")}, count(*) AS n FROM messages m ${join} WHERE ${where.sql}
      GROUP BY ${groups.join(", ")} ORDER BY ${order.join(", ")} LIMIT ${statsRowLimit}`,
    params: where.params,
  };
}

/** One row of statistics: the key of each dimension (time buckets as ISO dates) and the count. */
export type StatsRow = Partial<Record<StatsDimension, string>> & { count: number };

/** Rows of {@link statsSql} to {@link StatsRow}s. */
export function toStatsRows(rows: readonly Record<string, unknown>[], by: readonly StatsDimension[]): StatsRow[] {
  return rows.map((row) => {
    const stats: StatsRow = { count: Number(row.n) };
    by.forEach((dimension, index) => {
      const key = row[`k${index}`];
      stats[dimension] = isTime(dimension) ? new Date(Number(key)).toISOString() : String(key);
    });
    return stats;
  });
}
