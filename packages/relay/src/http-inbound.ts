import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { SigningKey } from "@herald/sdk";
import { type HttpRoute, listenHttp } from "@herald/sdk/internal";
import type { RelayReply } from "@herald/transport-zeromq";
import { preparePost } from "@herald/transport-zeromq";

/** Options of the relay's HTTP inbound. */
export interface HttpInboundOptions {
  port: number;
  /** Default `127.0.0.1`: open it wider on purpose only. */
  host?: string;
  /**
   * Signs `{topic, data}` posts with the relay's own key. Without it they travel unsigned, which
   * subscribers accept only where their policy allows.
   */
  signingKey?: SigningKey;
  /** Answered before the relay's own routes: `/metrics`, a fuller `/healthz`. */
  routes?: HttpRoute;
}

/** The running HTTP inbound. */
export interface HttpInbound {
  readonly port: number;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;

/**
 * `POST /v1/messages` with a JSON envelope (forwarded unchanged) or `{topic, data[, source,
 * dataschema]}` (wrapped in a new envelope). Answers 200 with `{ok: true, id}` once the message was
 * republished, 422 with `{ok: false, reason, detail}` when it was refused, 400 for a bad request.
 * `GET /healthz` answers 200.
 */
export function startHttpInbound(
  options: HttpInboundOptions,
  handle: (topic: string, body: Buffer) => Promise<RelayReply>,
): Promise<HttpInbound> {
  const server = createServer((request, response) => {
    if (options.routes?.(request, response)) return;
    serve(request, response, options, handle).catch((cause: unknown) => {
      reply(response, 500, { ok: false, reason: "bad-request", detail: `relay error: ${(cause as Error).message}` });
    });
  });
  return listenHttp(server, options.port, options.host);
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpInboundOptions,
  handle: (topic: string, body: Buffer) => Promise<RelayReply>,
): Promise<void> {
  if (request.method === "GET" && request.url === "/healthz") {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    return;
  }
  if (request.method !== "POST" || request.url !== "/v1/messages") {
    reply(response, 404, { ok: false, reason: "bad-request", detail: "POST /v1/messages or GET /healthz" });
    return;
  }
  const body = await readBody(request);
  if (body === undefined) {
    reply(response, 413, { ok: false, reason: "bad-request", detail: `body larger than ${maxBodyBytes} bytes` });
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    reply(response, 400, { ok: false, reason: "bad-request", detail: "body is not JSON" });
    return;
  }
  const prepared = preparePost(value, body, options.signingKey);
  if (typeof prepared === "string") {
    reply(response, 400, { ok: false, reason: "bad-request", detail: prepared });
    return;
  }
  const result = await handle(prepared.topic, prepared.body);
  reply(response, result.ok ? 200 : 422, result);
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function reply(response: ServerResponse, status: number, body: RelayReply): void {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
}
