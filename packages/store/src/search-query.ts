import { HeraldError, isValidTopicPattern } from "@herald/sdk";
import type { StoreErrorCode } from "./store-errors.js";

/** The filters of datagrepper's API: OR within one filter's values, AND across filters. */
export interface SearchFilters {
  /** Milliseconds since the epoch, inclusive. */
  start?: number;
  /** Milliseconds since the epoch, exclusive. */
  end?: number;
  topic: string[];
  category: string[];
  user: string[];
  package: string[];
  source: string[];
  /** Who caused the event (datagrepper's `agent`): see `StoredMessage.agent`. */
  agent: string[];
  contains: string[];
  notTopic: string[];
  notCategory: string[];
  notUser: string[];
  notPackage: string[];
  notSource: string[];
  notAgent: string[];
  notContains: string[];
}

/** A position in a result list, after which the next page starts (keyset pagination). */
export interface Cursor {
  time: number;
  seq: number;
}

/**
 * A search: filters, and which page of how many rows, newest or oldest first. With a `cursor`
 * (from a previous page's `next_cursor`, a Herald extension) the page starts right after it and
 * `page` is ignored: the way to walk a long result without paying for its depth.
 */
export interface SearchQuery extends SearchFilters {
  page: number;
  rowsPerPage: number;
  order: "asc" | "desc";
  cursor?: Cursor;
}

/** What `/herald/stats` counts by: up to two of these, e.g. `topic` and `hour` for a series per topic. */
export const statsDimensions = ["topic", "category", "user", "hour", "day"] as const;
export type StatsDimension = (typeof statsDimensions)[number];

const listParameters = ["topic", "category", "user", "package", "source", "agent", "contains"] as const;
const filterParameters = ["start", "end", "delta", ...listParameters, ...listParameters.map((name) => `not_${name}`)];
const searchParameters = new Set([...filterParameters, "page", "rows_per_page", "order", "cursor"]);
const statsParameters = new Set([...filterParameters, "by"]);

const bad = (parameter: string, what: string): never => {
  throw new HeraldError<StoreErrorCode>("E_QUERY", `${parameter}: ${what}`);
};

/** Seconds since the epoch (datagrepper's form) or an ISO date, to milliseconds. */
function parseTime(parameter: string, value: string): number {
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds)) return Math.round(seconds * 1000);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed)
    ? bad(parameter, `${JSON.stringify(value)} is neither seconds since the epoch nor a date`)
    : parsed;
}

function parsePositive(parameter: string, value: string | null, fallback: number, max?: number): number {
  if (value === null) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    bad(parameter, `${JSON.stringify(value)} is not a whole number of at least 1`);
  if (max !== undefined && number > max) bad(parameter, `at most ${max}`);
  return number;
}

const checkKnown = (params: URLSearchParams, known: Set<string>) => {
  for (const name of params.keys()) if (!known.has(name)) bad(name, "unknown parameter");
};

const single = (params: URLSearchParams, name: string) => {
  const values = params.getAll(name);
  if (values.length > 1) bad(name, "given more than once");
  return values[0] ?? null;
};

/** The filters: `start`, `end`, `delta` (seconds), the repeatable filters and their `not_` forms. */
function readFilters(params: URLSearchParams, now: number): SearchFilters {
  const startText = single(params, "start");
  const endText = single(params, "end");
  const deltaText = single(params, "delta");
  let start = startText === null ? undefined : parseTime("start", startText);
  let end = endText === null ? undefined : parseTime("end", endText);
  if (deltaText !== null) {
    const delta = Number(deltaText);
    if (!Number.isFinite(delta) || delta <= 0)
      bad("delta", `${JSON.stringify(deltaText)} is not a positive number of seconds`);
    if (start !== undefined && end === undefined) end = start + delta * 1000;
    else {
      end ??= now;
      start = end - delta * 1000;
    }
  }
  if (start !== undefined && end !== undefined && start >= end) bad("start", "must be before end");
  const list = (name: string) => params.getAll(name).filter((value) => value !== "");
  for (const name of ["topic", "not_topic"])
    for (const value of list(name))
      if (!isValidTopicPattern(value)) bad(name, `${JSON.stringify(value)} is neither a topic nor a topic pattern`);
  return {
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    topic: list("topic"),
    category: list("category"),
    user: list("user"),
    package: list("package"),
    source: list("source"),
    agent: list("agent"),
    contains: list("contains"),
    notTopic: list("not_topic"),
    notCategory: list("not_category"),
    notUser: list("not_user"),
    notPackage: list("not_package"),
    notSource: list("not_source"),
    notAgent: list("not_agent"),
    notContains: list("not_contains"),
  };
}

/** An opaque cursor (`next_cursor` of a previous page): `<time>-<seq>`. */
function parseCursor(value: string): Cursor {
  const match = /^(\d{1,15})-(\d{1,15})$/.exec(value);
  if (match === null) return bad("cursor", `${JSON.stringify(value)} is not a cursor this store gave`);
  return { time: Number(match[1]), seq: Number(match[2]) };
}

/** The text form of a cursor, as answered in `next_cursor`. */
export const formatCursor = (cursor: Cursor): string => `${cursor.time}-${cursor.seq}`;

/**
 * Reads datagrepper's query parameters: the filters (`start`, `end`, `delta` in seconds, the
 * repeatable filters and their `not_` forms), `page`, `rows_per_page` (at most 100), `order`
 * (`asc`/`desc`), and Herald's `cursor`.
 * @throws HeraldError `E_QUERY` naming the parameter that is wrong (the API answers 400 with it).
 */
export function parseSearchQuery(params: URLSearchParams, now = Date.now()): SearchQuery {
  checkKnown(params, searchParameters);
  const order = single(params, "order") ?? "desc";
  if (order !== "asc" && order !== "desc") bad("order", 'must be "asc" or "desc"');
  const cursor = single(params, "cursor");
  return {
    ...readFilters(params, now),
    page: parsePositive("page", single(params, "page"), 1),
    rowsPerPage: parsePositive("rows_per_page", single(params, "rows_per_page"), 25, 100),
    order: order as "asc" | "desc",
    ...(cursor === null ? {} : { cursor: parseCursor(cursor) }),
  };
}

/**
 * Reads `/herald/stats` parameters: the filters and `by` (once or twice, e.g. `by=topic&by=hour`).
 * @throws HeraldError `E_QUERY` naming the parameter that is wrong.
 */
export function parseStatsQuery(
  params: URLSearchParams,
  now = Date.now(),
): { filters: SearchFilters; by: StatsDimension[] } {
  checkKnown(params, statsParameters);
  const by = params.getAll("by");
  if (by.length === 0) bad("by", `missing: one or two of ${statsDimensions.join(", ")}`);
  if (by.length > 2) bad("by", "at most two");
  for (const value of by)
    if (!(statsDimensions as readonly string[]).includes(value))
      bad("by", `${JSON.stringify(value)} is not one of ${statsDimensions.join(", ")}`);
  if (new Set(by).size < by.length) bad("by", "given the same dimension twice");
  return { filters: readFilters(params, now), by: by as StatsDimension[] };
}
