import { HeraldError } from "@herald/sdk";

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
  contains: string[];
  notTopic: string[];
  notCategory: string[];
  notUser: string[];
  notPackage: string[];
  notSource: string[];
  notContains: string[];
}

/** A search: filters, and which page of how many rows, newest or oldest first. */
export interface SearchQuery extends SearchFilters {
  page: number;
  rowsPerPage: number;
  order: "asc" | "desc";
}

const listParameters = ["topic", "category", "user", "package", "source", "contains"] as const;
const known = new Set([
  "start",
  "end",
  "delta",
  "page",
  "rows_per_page",
  "order",
  ...listParameters,
  ...listParameters.map((name) => `not_${name}`),
]);

const bad = (parameter: string, what: string): never => {
  throw new HeraldError("E_QUERY", `${parameter}: ${what}`);
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

/**
 * Reads datagrepper's query parameters: `start`, `end`, `delta` (seconds), the repeatable filters
 * and their `not_` forms, `page`, `rows_per_page` (at most 100), `order` (`asc`/`desc`).
 * @throws HeraldError `E_QUERY` naming the parameter that is wrong (the API answers 400 with it).
 */
export function parseSearchQuery(params: URLSearchParams, now = Date.now()): SearchQuery {
  for (const name of params.keys()) if (!known.has(name)) bad(name, "unknown parameter");
  const single = (name: string) => {
    const values = params.getAll(name);
    if (values.length > 1) bad(name, "given more than once");
    return values[0] ?? null;
  };
  const startText = single("start");
  const endText = single("end");
  const deltaText = single("delta");
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
  const order = single("order") ?? "desc";
  if (order !== "asc" && order !== "desc") bad("order", 'must be "asc" or "desc"');
  const list = (name: string) => params.getAll(name).filter((value) => value !== "");
  return {
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    topic: list("topic"),
    category: list("category"),
    user: list("user"),
    package: list("package"),
    source: list("source"),
    contains: list("contains"),
    notTopic: list("not_topic"),
    notCategory: list("not_category"),
    notUser: list("not_user"),
    notPackage: list("not_package"),
    notSource: list("not_source"),
    notContains: list("not_contains"),
    page: parsePositive("page", single("page"), 1),
    rowsPerPage: parsePositive("rows_per_page", single("rows_per_page"), 25, 100),
    order: order as "asc" | "desc",
  };
}
