import type { ServerResponse } from "node:http";
import type { Presenter } from "@herald/schemas";
import { HeraldError, heraldIdFor } from "@herald/sdk";
import type { MessageStore } from "../message-store.js";
import type { StoreErrorCode } from "../store-errors.js";
import { type DatagrepperContext, fedmsgDict, fedoraMessageDict } from "./datagrepper-message.js";
import { maxUnpagedRows, parseDatagrepperLookup, parseDatagrepperSearch } from "./datagrepper-query.js";
import { pythonJson } from "./python-json.js";

/** What the datagrepper paths need from the store service. */
export interface DatagrepperOptions {
  present: Presenter["present"];
  /** `source_version` in `/raw` and `/id` answers. */
  version: string;
}

/** datagrepper's paths, with or without a trailing slash (Flask's `strict_slashes=False`). */
const routes: Record<string, "search" | "id" | "messagecount"> = {
  "/raw": "search",
  "/v2/search": "search",
  "/id": "id",
  "/v2/id": "id",
  "/messagecount": "messagecount",
};

/** True for a path datagrepper answers (so the caller answers the rest). */
export const isDatagrepperPath = (pathname: string): boolean =>
  routes[pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname] !== undefined;

/**
 * Answers datagrepper 1.1's JSON API from a Herald store, as datagrepper answers it over
 * datanommer: `/raw` and `/id` in the fedmsg-era shape (`Message.as_dict`), `/v2/search` and
 * `/v2/id` in fedora-messaging's (`as_fedora_message_dict`, what `fedora-messaging replay`
 * loads), `/messagecount`; `arguments` with datagrepper's names and seconds; `meta`, `callback`
 * (JSONP). `/id` finds a message by Herald id, fedmsg `msg_id` or a foreign message-id.
 * @throws HeraldError `E_QUERY` (400) for a bad parameter, `E_STORE` (503) when the database fails.
 */
export async function serveDatagrepper(
  store: MessageStore,
  url: URL,
  response: ServerResponse,
  options: DatagrepperOptions,
): Promise<void> {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, "") : url.pathname;
  const route = routes[path];
  const v2 = path.startsWith("/v2/");
  const context: DatagrepperContext = { present: options.present, now: Date.now(), version: options.version };
  if (route === "messagecount")
    return answer(response, 200, pythonJson({ messagecount: await store.count(noFilters) }));
  if (route === "id") {
    const lookup = parseDatagrepperLookup(url.searchParams);
    // A Herald id, else the id a fedmsg or foreign message had (the bridges derive Herald's from it).
    const raw = (await store.get(lookup.id)) ?? (await store.get(heraldIdFor(lookup.id)));
    if (raw === undefined) return answer(response, 404, pythonJson({ error: "not_found" }));
    const dict = (v2 ? fedoraMessageDict : fedmsgDict)(raw, lookup.meta, context);
    return answer(response, 200, pythonJson(dict), lookup.callback);
  }
  const search = parseDatagrepperSearch(url.searchParams, context.now);
  let rowsPerPage = search.rowsPerPage;
  if (rowsPerPage === 0) {
    const total = await store.count(search.filters);
    if (total > maxUnpagedRows)
      throw new HeraldError<StoreErrorCode>(
        "E_QUERY",
        `rows_per_page=0 would answer ${total} messages; at most ${maxUnpagedRows} at once: page through them`,
      );
    rowsPerPage = Math.max(total, 1);
  }
  const page = await store.search({ ...search.filters, page: search.page, rowsPerPage, order: search.order });
  const toDict = v2 ? fedoraMessageDict : fedmsgDict;
  const messages = page.raw.map((raw) => toDict(raw, search.meta, context));
  // datanommer: with rows_per_page=0, one page holding every match.
  const unpaged = search.rowsPerPage === 0;
  const body = {
    raw_messages: messages,
    total: unpaged ? messages.length : page.total,
    pages: unpaged ? 1 : Math.ceil(page.total / search.rowsPerPage),
    count: messages.length,
    arguments: search.arguments,
  };
  return answer(response, 200, pythonJson(body), search.callback);
}

const noFilters = {
  topic: [],
  category: [],
  user: [],
  package: [],
  source: [],
  agent: [],
  contains: [],
  notTopic: [],
  notCategory: [],
  notUser: [],
  notPackage: [],
  notSource: [],
  notAgent: [],
  notContains: [],
};

/** JSON, or JSONP when a `callback` was given (`json_return`, util.py); readable from any origin, as datagrepper's CORS_DOMAINS = [".*"]. */
function answer(response: ServerResponse, status: number, json: string, callback?: string): void {
  const headers = {
    "content-type": callback === undefined ? "application/json" : "application/javascript",
    "access-control-allow-origin": "*",
    "x-content-type-options": "nosniff",
  };
  response.writeHead(status, headers).end(callback === undefined ? json : `${callback}(${json});`);
}
