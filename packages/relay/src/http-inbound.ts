import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { SigningKey } from "@herald/sdk";
import { defaultMaxMessageBytes, readBoundedJson } from "@herald/sdk";
import { type HttpRoute, listenHttp, originAllowed } from "@herald/sdk/internal";
import type { RelayReply } from "@herald/transport-zeromq";
import { preparePost } from "@herald/transport-zeromq";
import { envelopeFromBinary, isBinaryMode } from "./cloudevents-binary.js";

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
  /**
   * The token a `{topic, data}` post must carry (`Authorization: Bearer …`) to be signed with
   * `signingKey`: whoever can reach the port is not thereby allowed to speak with the relay's key.
   * Without a token, such posts are refused while a key is set. Signed envelopes need no token.
   */
  token?: string;
  /** Answered before the relay's own routes: `/metrics`, a fuller `/healthz`. */
  routes?: HttpRoute;
}

/** The running HTTP inbound. */
export interface HttpInbound {
  readonly port: number;
  close(): Promise<void>;
}

/** A live post is about what just happened: its `time` may be this old at most. */
const maxPostAgeMs = 5 * 60_000;
const jsonTypes = new Set(["application/json", "application/cloudevents+json"]);

/**
 * `POST /v1/messages` with a JSON envelope (forwarded unchanged), a CloudEvents binary-mode event
 * (`ce-*` headers, data as the body: forwarded as the same envelope in structured mode) or
 * `{topic, data[, source, dataschema]}` (wrapped in a new envelope). Answers 200 with `{ok: true, id}` once the message was
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
  // A page in someone's browser can send a "simple" cross-site POST (text/plain, no preflight):
  // a JSON content type forces a preflight this server never answers, and a foreign Origin is refused.
  if (!originAllowed(request)) {
    reply(response, 403, { ok: false, reason: "bad-request", detail: "posts from another site's page are refused" });
    return;
  }
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  // Binary mode (the default of CloudEvents SDKs' emitters): attributes in ce-* headers, data in the body.
  const binary = isBinaryMode(request.headers);
  if (binary ? type !== "application/json" : !jsonTypes.has(type)) {
    reply(response, 415, {
      ok: false,
      reason: "bad-request",
      detail: binary
        ? "a binary-mode event's content-type (its datacontenttype) must be application/json"
        : "content-type must be application/json or application/cloudevents+json",
    });
    return;
  }
  const body = await readBody(request);
  if (body === undefined) {
    reply(response, 413, {
      ok: false,
      reason: "bad-request",
      detail: `body larger than ${defaultMaxMessageBytes} bytes`,
    });
    return;
  }
  const reading = readBoundedJson(body);
  if (!reading.ok) {
    const detail = reading.reason === "not-json" ? "body is not JSON" : `${reading.reason}: ${reading.detail}`;
    reply(response, 400, { ok: false, reason: "bad-request", detail });
    return;
  }
  let value = reading.value;
  let raw = body;
  if (binary) {
    const envelope = envelopeFromBinary(request.rawHeaders, value, type);
    if (typeof envelope === "string") {
      reply(response, 400, { ok: false, reason: "bad-request", detail: envelope });
      return;
    }
    value = envelope;
    raw = Buffer.from(JSON.stringify(envelope), "utf8");
  }
  const isPost = typeof value === "object" && value !== null && !("specversion" in value);
  if (isPost && options.signingKey !== undefined && !tokenMatches(request, options.token)) {
    reply(response, 401, {
      ok: false,
      reason: "bad-request",
      detail:
        options.token === undefined
          ? "this relay signs {topic, data} posts only for holders of its token: set http_token_file in [relay]"
          : "a {topic, data} post needs the relay's token: Authorization: Bearer <token>",
    });
    return;
  }
  const prepared = preparePost(value, raw, options.signingKey, { maxAgeMs: maxPostAgeMs });
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
      if (size > defaultMaxMessageBytes) {
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

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
function tokenMatches(request: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return false;
  const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
  const [a, b] = [Buffer.from(given), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}
