import { createServer } from "node:http";
import { type HttpRoute, type ListeningHttp, listenHttp } from "@herald/sdk/internal";

/**
 * An HTTP server with only `/healthz` and `/metrics`, for a command that has no HTTP API of its own
 * to add them to (`herald bridge`).
 * @throws HeraldError `E_TRANSPORT` naming the port when it cannot listen.
 */
export function serveOps(routes: HttpRoute, port: number, host: string): Promise<ListeningHttp> {
  const server = createServer((request, response) => {
    if (!routes(request, response))
      response.writeHead(404, { "content-type": "text/plain" }).end("not found: try /healthz or /metrics\n");
  });
  return listenHttp(server, port, host);
}
