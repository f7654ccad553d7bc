import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { type Presenter, present } from "@herald/schemas";
import { HeraldError } from "@herald/sdk";
import { type HttpRoute, listenHttp } from "@herald/sdk/internal";
import { isDatagrepperPath, serveDatagrepper } from "./datagrepper/datagrepper-api.js";
import type { MessageStore } from "./message-store.js";
import { toNdjsonLine } from "./ndjson.js";
import { formatCursor, parseSearchQuery, parseStatsQuery } from "./search-query.js";
import type { StoreErrorCode } from "./store-errors.js";

/** The running query API. */
export interface QueryApi {
  readonly port: number;
  close(): Promise<void>;
}

/** How many messages `/herald/export` reads from the database at a time. */
const exportBatch = 1000;

/** The store's version, answered as datagrepper's `source_version`. */
const version = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

/** Where the query API listens, and what it presents messages with. */
export interface QueryApiOptions {
  port: number;
  host?: string;
  /** Routes answered first (the service's `/metrics`). */
  routes?: HttpRoute;
  /** Presents messages for datagrepper's users, packages and `meta` (default: the built-in catalogue's). */
  presenter?: Presenter;
}

/**
 * The query API. Herald's own, under `/herald/`: `search` (cursor paging), `id` (the envelope
 * byte for byte), `count`, `stats?by=…` and `export` (every match as NDJSON, oldest first: what
 * `herald replay`, `store import` and gap recovery read); messages are answered exactly as stored
 * (the JSON is assembled around the stored bytes), so each still verifies. And datagrepper's own
 * paths (`/raw`, `/id`, `/v2/search`, `/v2/id`, `/messagecount`), answered as datagrepper answers
 * them, for Fedora's clients. A bad parameter gets 400 naming it; a database failure 503.
 */
export function startQueryApi(store: MessageStore, options: QueryApiOptions): Promise<QueryApi> {
  const datagrepper = { present: options.presenter?.present ?? present, version };
  const server = createServer((request, response) => {
    if (options.routes?.(request, response)) return;
    const url = new URL(request.url ?? "/", "http://localhost");
    const served =
      request.method === "GET" && isDatagrepperPath(url.pathname)
        ? serveDatagrepper(store, url, response, datagrepper)
        : serve(store, request, response);
    served.catch((cause: unknown) => {
      const code = HeraldError.isInstance(cause) ? cause.code : undefined;
      const status = code === "E_QUERY" ? 400 : code === "E_STORE" ? 503 : 500;
      const message = cause instanceof Error ? cause.message : String(cause);
      if (response.headersSent) response.destroy();
      else send(response, status, JSON.stringify({ error: message }));
    });
  });
  return listenHttp(server, options.port, options.host);
}

async function serve(store: MessageStore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (request.method !== "GET") return send(response, 405, JSON.stringify({ error: "GET only" }));
  switch (url.pathname) {
    case "/herald/search": {
      const query = parseSearchQuery(url.searchParams);
      const page = await store.search(query);
      const pages = Math.ceil(page.total / query.rowsPerPage);
      const { cursor, ...rest } = query;
      const args = JSON.stringify({
        ...rest,
        start: query.start ?? null,
        end: query.end ?? null,
        cursor: cursor === undefined ? null : formatCursor(cursor),
      });
      const next = page.next === undefined ? "null" : JSON.stringify(formatCursor(page.next));
      return send(
        response,
        200,
        `{"raw_messages":[${page.raw.join(",")}],"total":${page.total},"pages":${pages},"count":${page.raw.length},"next_cursor":${next},"arguments":${args}}`,
      );
    }
    case "/herald/count":
      return send(response, 200, JSON.stringify({ total: await store.count(parseSearchQuery(url.searchParams)) }));
    case "/herald/stats": {
      const { filters, by } = parseStatsQuery(url.searchParams);
      const rows = await store.stats(filters, by);
      return send(response, 200, JSON.stringify({ by, rows }));
    }
    case "/herald/id": {
      const id = url.searchParams.get("id");
      if (id === null || id === "") throw new HeraldError<StoreErrorCode>("E_QUERY", "id: missing");
      const raw = await store.get(id);
      if (raw === undefined) return send(response, 404, JSON.stringify({ error: `id: no message ${id}` }));
      return send(response, 200, raw, "application/cloudevents+json");
    }
    case "/herald/export":
      return exportNdjson(store, url.searchParams, response);
    case "/healthz":
      return send(response, 200, JSON.stringify({ ok: true, store: store.location }));
    default:
      send(
        response,
        404,
        JSON.stringify({
          error: "not_found",
          detail:
            "GET /herald/search, /herald/id, /herald/count, /herald/stats or /herald/export; datagrepper's /raw, /id, /v2/search, /v2/id or /messagecount",
        }),
      );
  }
}

/** Streams every match, oldest first, one message per line, walking the keyset and minding backpressure. */
async function exportNdjson(store: MessageStore, params: URLSearchParams, response: ServerResponse): Promise<void> {
  const query = parseSearchQuery(params);
  let page = await store.scan(query, exportBatch, query.cursor);
  response.writeHead(200, { "content-type": "application/x-ndjson" });
  for (;;) {
    const fits = response.write(page.raw.map(toNdjsonLine).join(""));
    if (page.next === undefined || response.destroyed) break;
    const [next] = await Promise.all([
      store.scan(query, exportBatch, page.next),
      fits ? undefined : new Promise((resolve) => response.once("drain", resolve)),
    ]);
    page = next;
  }
  response.end();
}

function send(response: ServerResponse, status: number, body: string, type = "application/json"): void {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": type }).end(body);
}
