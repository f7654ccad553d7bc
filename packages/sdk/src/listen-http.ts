import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { HeraldError } from "./errors.js";

/**
 * Extra routes for a server of the SDK (the relay's HTTP inbound, the store's query API): answers
 * a request and returns true when it is one of its own, such as `/metrics`.
 */
export type HttpRoute = (request: IncomingMessage, response: ServerResponse) => boolean;

/** A listening HTTP server: the port it got (useful with port 0) and how to stop it. */
export interface ListeningHttp {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts `server` on `host:port` (default host 127.0.0.1: open it wider on purpose only), for the
 * relay's HTTP inbound, the store's query API and the integrations' receivers alike.
 * @throws HeraldError `E_TRANSPORT` naming the port when it cannot listen.
 */
export function listenHttp(server: Server, port: number, host = "127.0.0.1"): Promise<ListeningHttp> {
  return new Promise((resolve, reject) => {
    server.once("error", (cause) =>
      reject(new HeraldError("E_TRANSPORT", `cannot listen on HTTP port ${port}: ${cause.message}`, { cause })),
    );
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address !== null ? address.port : port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * Whether a request may change state or read a stream, by its `Origin`: true with no `Origin`
 * (not a browser: curl, a hook, another service), for a page of this very server (the origin's
 * host is the request's `Host`) or a listed origin. A page of any other site, `Origin: null`
 * included, gets false — so a web page open in someone's browser cannot reach a service on their
 * machine or network through it.
 */
export function originAllowed(
  request: Pick<IncomingMessage, "headers">,
  allowed: ReadonlySet<string> | readonly string[] = [],
): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (Array.isArray(allowed) ? allowed.includes(origin) : (allowed as ReadonlySet<string>).has(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
