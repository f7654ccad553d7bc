import { HeraldError, isTopicPattern, isValidTopicPattern } from "@herald/sdk";
import type { SearchFilters } from "../search-query.js";
import type { StoreErrorCode } from "../store-errors.js";
import { PythonFloat } from "./python-json.js";

// Read from datagrepper 1.1's `datagrepper/app.py` (`raw()`, `msg_id()`) and `datagrepper/util.py`
// (`assemble_timerange`, `as_bool`, `meta_argument`), and datanommer.models 1.x's `Message.grep`.

/** A datagrepper search (`/raw`, `/v2/search`): what to fetch and the `arguments` it answers with. */
export interface DatagrepperSearch {
  filters: SearchFilters;
  page: number;
  /** 0: every match on one page, as datanommer's `grep` does with `rows_per_page=0`. */
  rowsPerPage: number;
  order: "asc" | "desc";
  meta: string[];
  callback: string | undefined;
  /** datagrepper's `arguments`, in its order and units (seconds as floats). */
  arguments: Record<string, unknown>;
}

/** A datagrepper lookup (`/id`, `/v2/id`). */
export interface DatagrepperLookup {
  id: string;
  meta: string[];
  callback: string | undefined;
}

/** datagrepper's `POSSIBLE_SIZES` (app.py): the HTML card sizes, checked though Herald answers JSON. */
const sizes = ["small", "medium", "large", "extra-large"];
/** `meta_argument` (util.py): the accepted values, and the deprecated fedmsg names. */
export const metaNames = new Set([
  "summary",
  "text",
  "url",
  "app_icon",
  "agent_avatar",
  "usernames",
  "packages",
  "containers",
  "modules",
  "flatpaks",
  "date",
  "subtitle",
  "link",
  "icon",
]);
/** `contains` needs a start at most eight months back (app.py: `timedelta(weeks=4 * 8)`). */
const containsWindowMs = 32 * 7 * 86_400_000;
/** `rows_per_page=0` answers every match on one page; past this many, Herald asks to page. */
export const maxUnpagedRows = 10_000;

const bad = (message: string): never => {
  throw new HeraldError<StoreErrorCode>("E_QUERY", message);
};

/** Flask's `args.get`: the first value, or null. */
const first = (params: URLSearchParams, name: string) => params.get(name);

/** Python's `float()` of a string, finite (datagrepper would fail later on an infinity). */
function pythonFloat(name: string, text: string): number | undefined {
  if (!/^\s*[+-]?(\d[\d_]*\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) return undefined;
  const value = Number(text.trim().replaceAll("_", ""));
  if (!Number.isFinite(value)) bad(`${name}: ${JSON.stringify(text)} is out of range`);
  return value;
}

/** `datetime_to_timestamp` (util.py): seconds, or a date read as UTC when it has no offset. */
function seconds(name: string, text: string): number {
  const number = pythonFloat(name, text);
  if (number !== undefined) return number;
  const trimmed = text.trim();
  const hasOffset = /(Z|[+-]\d\d(:?\d\d)?)$/i.test(trimmed);
  const hasTime = /\d[T ]\d/.test(trimmed);
  const parsed = Date.parse(hasTime && !hasOffset ? `${trimmed.replace(" ", "T")}Z` : trimmed);
  if (Number.isNaN(parsed)) bad(`${name}: ${JSON.stringify(text)} is neither seconds since the epoch nor a date`);
  return parsed / 1000;
}

/** Python's `int()` of a string. */
function pythonInt(name: string, text: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) bad(`${name}: ${JSON.stringify(text)} is not an integer`);
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value)) bad(`${name}: ${JSON.stringify(text)} is out of range`);
  return value;
}

/** `as_bool` (util.py). */
function pythonBool(name: string, text: string | null, fallback: boolean): boolean {
  if (text === null) return fallback;
  const value = text.trim().toLowerCase();
  if (["true", "yes", "on", "y", "t", "1"].includes(value)) return true;
  if (["false", "no", "off", "n", "f", "0"].includes(value)) return false;
  return bad(`${name} should be either 'true' or 'false'`);
}

/** `assemble_timerange` (util.py) with datagrepper's default `DEFAULT_QUERY_DELTA = 0`. */
function timeRange(params: URLSearchParams, now: number) {
  const startText = first(params, "start");
  const endText = first(params, "end");
  const deltaText = first(params, "delta");
  let start = startText === null ? undefined : seconds("start", startText);
  let end = endText === null ? undefined : seconds("end", endText);
  let delta: number | undefined;
  if (deltaText !== null) {
    delta = pythonFloat("delta", deltaText);
    if (delta === undefined) bad(`delta: ${JSON.stringify(deltaText)} is not a number of seconds`);
  }
  const nowSeconds = now / 1000;
  if (start === undefined && end === undefined && delta !== undefined) {
    end = nowSeconds;
    start = end - delta;
  } else if (start === undefined && end !== undefined) {
    // datagrepper then asks datanommer for (None, end), which it refuses with a 500; Herald reads
    // it as "from the epoch", the range `start = 0` describes.
    start = delta === undefined ? 0 : end - delta;
  } else if (start !== undefined && end === undefined) {
    end = delta === undefined ? nowSeconds : start + delta;
    delta = end - start;
  } else if (start !== undefined && end !== undefined) {
    delta = end - start;
  }
  return { start, end, delta };
}

/** The values of a repeatable filter, as Flask's `args.getlist` gives them. */
const list = (params: URLSearchParams, name: string) => params.getAll(name);

function topics(params: URLSearchParams, name: string): string[] {
  const values = list(params, name);
  for (const value of values)
    if (isTopicPattern(value) && !isValidTopicPattern(value))
      bad(`${name}: ${JSON.stringify(value)} is not a valid topic pattern`);
  return values;
}

/** `callback` becomes JavaScript: only a dotted identifier, never text that could run. */
function callbackOf(params: URLSearchParams): string | undefined {
  const callback = first(params, "callback");
  if (callback === null || callback === "") return undefined;
  if (callback.length > 128 || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(callback))
    bad("callback: must be a JavaScript function name (letters, digits, _, $ and dots)");
  return callback;
}

function metaOf(params: URLSearchParams): string[] {
  const meta = list(params, "meta");
  for (const name of meta)
    if (!metaNames.has(name)) bad(`meta must be in ${[...metaNames].join(",")}. Got ${JSON.stringify(meta)}`);
  return meta;
}

/** The size and chrome of datagrepper's HTML views: checked as it checks them, then unused. */
function checkPresentation(params: URLSearchParams): void {
  const size = first(params, "size");
  if (size !== null && !sizes.includes(size)) bad(`size must be in one of these: ${JSON.stringify(sizes)}`);
  pythonBool("chrome", first(params, "chrome"), true);
}

/**
 * Reads the parameters of datagrepper's `/raw` and `/v2/search` as it does: unknown ones are
 * ignored, a repeated single one counts once (its first value), times are seconds.
 * @throws HeraldError `E_QUERY` with datagrepper's own message where it has one.
 */
export function parseDatagrepperSearch(params: URLSearchParams, now = Date.now()): DatagrepperSearch {
  const { start, end, delta } = timeRange(params, now);
  const users = list(params, "user");
  const packages = list(params, "package");
  const categories = list(params, "category");
  const topicList = topics(params, "topic");
  const agents = list(params, "agent");
  const contains = list(params, "contains");
  if (contains.length > 0 && (start ?? 0) * 1000 < now - containsWindowMs)
    bad("When using contains, specify a start at most eight months into the past");
  if (contains.length > 0 && categories.length === 0 && topicList.length === 0)
    bad("When using contains, specify either a topic or a category as well");
  const notUsers = list(params, "not_user");
  const notPackages = list(params, "not_package");
  const notCategories = list(params, "not_category");
  const notTopics = topics(params, "not_topic");
  const notAgents = list(params, "not_agent");
  const pageText = first(params, "page");
  const page = pageText === null ? 1 : pythonInt("page", pageText);
  if (page < 1) bad("page must be > 0");
  const rowsText = first(params, "rows_per_page");
  const rowsPerPage = rowsText === null ? 25 : pythonInt("rows_per_page", rowsText);
  if (rowsPerPage > 100) bad("rows_per_page must be <= 100");
  if (rowsPerPage < 0) bad("rows_per_page must be >= 0");
  const order = first(params, "order") ?? "desc";
  if (order !== "asc" && order !== "desc") bad("order must be either 'desc' or 'asc'");
  checkPresentation(params);
  const callback = callbackOf(params);
  const meta = metaOf(params);
  // datanommer selects `timestamp BETWEEN start AND end`: both ends included.
  const startMs = start === undefined ? undefined : Math.ceil(start * 1000);
  const endMs = end === undefined ? undefined : Math.floor(end * 1000) + 1;
  const filters: SearchFilters = {
    ...(startMs === undefined ? {} : { start: startMs }),
    ...(endMs === undefined ? {} : { end: startMs !== undefined && endMs < startMs ? startMs : endMs }),
    topic: topicList,
    category: categories,
    user: users,
    package: packages,
    source: [],
    agent: agents,
    contains,
    notTopic: notTopics,
    notCategory: notCategories,
    notUser: notUsers,
    notPackage: notPackages,
    notSource: [],
    notAgent: notAgents,
    notContains: [],
  };
  const float = (value: number | undefined) => (value === undefined ? null : new PythonFloat(value));
  return {
    filters,
    page,
    rowsPerPage,
    order: order as "asc" | "desc",
    meta,
    callback,
    arguments: {
      start: float(start),
      delta: float(delta),
      end: float(end),
      users,
      packages,
      categories,
      topics: topicList,
      agents,
      contains,
      not_users: notUsers,
      not_packages: notPackages,
      not_categories: notCategories,
      not_topics: notTopics,
      not_agents: notAgents,
      page,
      rows_per_page: rowsPerPage,
      order,
      meta,
    },
  };
}

/**
 * Reads the parameters of datagrepper's `/id` and `/v2/id`: `id` (required), `meta`, `callback`,
 * and `size`, `chrome`, `is_raw` checked as datagrepper checks them.
 * @throws HeraldError `E_QUERY` when `id` is missing or a parameter is wrong.
 */
export function parseDatagrepperLookup(params: URLSearchParams): DatagrepperLookup {
  const id = first(params, "id");
  if (id === null) bad("id: missing");
  checkPresentation(params);
  pythonBool("is_raw", first(params, "is_raw"), false);
  return { id: id as string, meta: metaOf(params), callback: callbackOf(params) };
}
