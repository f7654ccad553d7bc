import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type Logger, readBoundedJson, silentLogger } from "@herald/sdk";
import { type HttpRoute, listenHttp, originAllowed } from "@herald/sdk/internal";
import type { AccessList } from "./access-list.js";
import { admitRegistration } from "./admit-registration.js";
import { openRegistryStore, type StoredVersion } from "./registry-store.js";

/** Options of {@link startRegistry}. */
export interface RegistryOptions {
  /** The folder of registered versions. */
  dataDir: string;
  /** Which key may register which names. */
  access: AccessList;
  port: number;
  host?: string;
  /** Extra routes, such as `/healthz` and `/metrics`. */
  routes?: HttpRoute;
  logger?: Logger;
}

/** Counters of a running registry. */
export interface RegistryStats {
  served: number;
  notModified: number;
  registered: number;
  refused: number;
}

/** A running registry service. */
export interface RunningRegistry {
  readonly port: number;
  readonly stats: RegistryStats;
  /** How many versions it holds. */
  versions(): number;
  close(): Promise<void>;
}

const maxBodyBytes = 512 * 1024;
const versionPath = /^\/schemas\/([a-z0-9][a-z0-9_.-]{0,127})\/(\d{1,6}\.\d{1,6})(\.json)?$/;
const namePath = /^\/schemas\/([a-z0-9][a-z0-9_.-]{0,127})$/;

/**
 * Serves every registered schema version over HTTP and takes new ones (docs/schema-registry.md):
 * - `GET /schemas`: the index of versions with their entity tags;
 * - `GET /schemas/<name>`: one name's versions;
 * - `GET /schemas/<name>/<major>.<minor>`: the signed registration (immutable, `ETag`, 304);
 * - `GET /schemas/<name>/<major>.<minor>.json`: the JSON Schema file alone, byte for byte;
 * - `PUT /schemas/<name>/<major>.<minor>`: a registration, admitted by {@link admitRegistration};
 *   `201` once it is on disk, `200` when it was already there, else a reason and the diff's changes.
 * @throws HeraldError `E_CONFIG` when the folder cannot be read, `E_TRANSPORT` when it cannot listen.
 */
export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  const logger = options.logger ?? silentLogger;
  const store = openRegistryStore(options.dataDir);
  const stats: RegistryStats = { served: 0, notModified: 0, registered: 0, refused: 0 };

  const reply = (response: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = `${JSON.stringify(body)}\n`;
    response.writeHead(code, { "content-type": "application/json", ...headers });
    response.end(text);
  };
  const serve = (request: IncomingMessage, response: ServerResponse, text: string, etag: string, type: string) => {
    const headers = { etag, "cache-control": "public, max-age=31536000, immutable", "content-type": type };
    if (request.headers["if-none-match"] === etag) {
      stats.notModified++;
      response.writeHead(304, headers);
      response.end();
      return;
    }
    stats.served++;
    response.writeHead(200, headers);
    response.end(request.method === "HEAD" ? undefined : text);
  };
  const indexOf = (versions: StoredVersion[]) =>
    versions.map((item) => ({
      name: item.entry.name,
      version: item.entry.version,
      keyid: item.registration.keyid,
      etag: item.etag,
      url: `/schemas/${item.entry.name}/${item.entry.version}`,
    }));

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (options.routes?.(request, response)) return;
    const path = (request.url ?? "/").split("?")[0] as string;
    const reading = request.method === "GET" || request.method === "HEAD";
    if (path === "/schemas" && reading) {
      const versions = store.list();
      const text = `${JSON.stringify({ versions: indexOf(versions) })}\n`;
      // The index changes with every registration, so it is revalidated rather than kept.
      const etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
      if (request.headers["if-none-match"] === etag) {
        stats.notModified++;
        response.writeHead(304, { etag, "cache-control": "no-cache" });
        response.end();
        return;
      }
      stats.served++;
      response.writeHead(200, { etag, "cache-control": "no-cache", "content-type": "application/json" });
      response.end(request.method === "HEAD" ? undefined : text);
      return;
    }
    const byName = namePath.exec(path);
    if (byName !== null && reading) {
      const versions = store.list().filter((item) => item.entry.name === byName[1]);
      if (versions.length === 0) return reply(response, 404, { ok: false, reason: `no schema named ${byName[1]}` });
      return reply(response, 200, { name: byName[1], versions: indexOf(versions) }, { "cache-control": "no-cache" });
    }
    const match = versionPath.exec(path);
    if (match === null) return reply(response, 404, { ok: false, reason: "not a route of the registry" });
    const [, name, version, asFile] = match as unknown as [string, string, string, string | undefined];
    if (reading) {
      const item = store.get(name, version);
      if (item === undefined)
        return reply(response, 404, { ok: false, reason: `${name} ${version} is not registered` });
      if (asFile !== undefined)
        return serve(
          request,
          response,
          item.registration.schema,
          `${item.etag.slice(0, -1)}-schema"`,
          "application/schema+json",
        );
      return serve(request, response, item.text, item.etag, "application/json");
    }
    if (request.method !== "PUT" || asFile !== undefined)
      return reply(
        response,
        405,
        { ok: false, reason: "a version is read with GET and registered with PUT" },
        { allow: "GET, HEAD, PUT" },
      );
    if (!originAllowed(request))
      return reply(response, 403, { ok: false, reason: "registrations from another site's page are refused" });
    // JSON only: a form or text/plain post (which a page can send without asking) is not one.
    if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
      stats.refused++;
      return reply(response, 415, { ok: false, reason: "a registration is sent as application/json" });
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === undefined) {
      stats.refused++;
      return reply(
        response,
        413,
        { ok: false, reason: `a registration is at most ${maxBodyBytes} bytes` },
        { connection: "close" },
      );
    }
    const json = readBoundedJson(body, { maxBytes: maxBodyBytes });
    if (!json.ok) {
      stats.refused++;
      return reply(response, 400, { ok: false, reason: `not a registration: ${json.detail}` });
    }
    const verdict = admitRegistration(json.value, { name, version }, options.access, store);
    if (verdict.status === "refused") {
      stats.refused++;
      logger.warn(`refused ${name} ${version}: ${verdict.reason}`);
      return reply(response, verdict.code, { ok: false, reason: verdict.reason, changes: verdict.changes ?? [] });
    }
    if (verdict.status === "registered") {
      stats.registered++;
      logger.info(`registered ${name} ${version} (key ${verdict.version.registration.keyid})`);
    }
    return reply(response, verdict.status === "registered" ? 201 : 200, {
      ok: true,
      status: verdict.status,
      etag: verdict.version.etag,
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error(`${request.method} ${request.url}: ${(error as Error).message}`);
      if (!response.headersSent) reply(response, 500, { ok: false, reason: "the registry could not answer" });
      else response.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  const listening = await listenHttp(server, options.port, options.host);
  return {
    port: listening.port,
    stats,
    versions: () => store.list().length,
    close: () => listening.close(),
  };
}

/** The body, or undefined past `limit` bytes (the rest is not read). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"] ?? "0");
    if (declared > limit) {
      request.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners("data");
        request.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}
