import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { HeraldError, listenHttp } from "@herald/sdk";
import type { MessageStore } from "./message-store.js";
import { parseSearchQuery } from "./search-query.js";

/** The running query API. */
export interface QueryApi {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The query API, compatible with datagrepper's parameters: `GET /v2/search`, `GET /v2/id?id=`,
 * `GET /v2/count`. Messages are answered exactly as stored (the JSON is assembled around the
 * stored bytes, never re-serialized), so each still verifies. A bad parameter gets 400 naming it.
 */
export function startQueryApi(store: MessageStore, options: { port: number; host?: string }): Promise<QueryApi> {
  const server = createServer((request, response) => {
    serve(store, request, response).catch((cause: unknown) => {
      const status = HeraldError.isInstance(cause) && cause.code === "E_QUERY" ? 400 : 500;
      const message = cause instanceof Error ? cause.message : String(cause);
      send(response, status, JSON.stringify({ error: message }));
    });
  });
  return listenHttp(server, options.port, options.host);
}

async function serve(store: MessageStore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (request.method !== "GET") return send(response, 405, JSON.stringify({ error: "GET only" }));
  if (url.pathname === "/v2/search") {
    const query = parseSearchQuery(url.searchParams);
    const page = await store.search(query);
    const pages = Math.ceil(page.total / query.rowsPerPage);
    const argumentsJson = JSON.stringify({ ...query, start: query.start ?? null, end: query.end ?? null });
    return send(
      response,
      200,
      `{"raw_messages":[${page.raw.join(",")}],"total":${page.total},"pages":${pages},"count":${page.raw.length},"arguments":${argumentsJson}}`,
    );
  }
  if (url.pathname === "/v2/count") {
    const query = parseSearchQuery(url.searchParams);
    return send(response, 200, JSON.stringify({ total: await store.count(query) }));
  }
  if (url.pathname === "/v2/id") {
    const id = url.searchParams.get("id");
    if (id === null || id === "") throw new HeraldError("E_QUERY", "id: missing");
    const raw = await store.get(id);
    if (raw === undefined) return send(response, 404, JSON.stringify({ error: `id: no message ${id}` }));
    return send(response, 200, raw, "application/cloudevents+json");
  }
  send(response, 404, JSON.stringify({ error: "GET /v2/search, /v2/count or /v2/id" }));
}

function send(response: ServerResponse, status: number, body: string, type = "application/json"): void {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": type }).end(body);
}
