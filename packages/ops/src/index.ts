/**
 * @herald/ops: what every long-running Herald service shows its operator: `GET /healthz` and
 * Prometheus `GET /metrics` (through prom-client), fed by cheap readings of the service's parts.
 */
export { admissionSource, transportUp } from "./admission-source.js";
export type { CommandMetrics, MetricsSource } from "./metrics.js";
export { createCommandMetrics } from "./metrics.js";
export type { HealthCheck } from "./ops-routes.js";
export { opsRoutes } from "./ops-routes.js";
export { serveOps } from "./ops-server.js";
