import type { HttpRoute } from "@herald/sdk/internal";
import type { CommandMetrics } from "./metrics.js";

/** What `/healthz` says: healthy or not, and details for a person (`{ok, broker: "connected"}`). */
export type HealthCheck = () => { ok: boolean; [detail: string]: unknown };

/**
 * `GET /healthz` (200 when healthy, 503 when not, JSON either way) and `GET /metrics`
 * (Prometheus text format), for every long-running command.
 */
export function opsRoutes(metrics: CommandMetrics, health: HealthCheck): HttpRoute {
  return (request, response) => {
    if (request.method !== "GET") return false;
    const path = request.url?.split("?")[0];
    if (path === "/healthz") {
      const report = health();
      response
        .writeHead(report.ok ? 200 : 503, { "content-type": "application/json" })
        .end(`${JSON.stringify(report)}\n`);
      return true;
    }
    if (path === "/metrics") {
      metrics.registry.metrics().then(
        (text) => response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        (cause: Error) => response.writeHead(500, { "content-type": "text/plain" }).end(`${cause.message}\n`),
      );
      return true;
    }
    return false;
  };
}
