import { type CommandMetrics, createCommandMetrics, type HealthCheck, opsRoutes, serveOps } from "@herald/ops";
import type { Logger } from "@herald/sdk";
import type { HttpRoute } from "@herald/sdk/internal";
import type { CommandIo } from "./io.js";
import { untilStopped } from "./signals.js";
import { stderrLogger } from "./stderr-logger.js";

/** What a long-running command's `start` is given. */
export interface ServiceContext {
  /** `herald <name>: …` lines on stderr. */
  logger: Logger;
  /** The command's Prometheus registry: `start` adds its parts' readings. */
  metrics: CommandMetrics;
  /** `/healthz` and `/metrics` as a route, for a service that serves HTTP itself (relay, store). */
  opsRoutes(health: HealthCheck): HttpRoute;
}

/** A started service, as `runService` needs it. */
export interface RunningService {
  /**
   * The ready line after `ready: `, e.g. `inbound tcp://…, outbound tcp://…`; a function when it
   * names the ops server's port.
   */
  ready: string | ((opsUrl: string | undefined) => string);
  /** `/healthz`: healthy or not (default: always healthy). */
  health?: HealthCheck;
  /** Routes served before `/healthz` and `/metrics` on the ops port (the hub's resume). */
  routes?: (ops: HttpRoute) => HttpRoute;
  /** Stops taking work, finishes or hands back what is in flight, closes connections. */
  close(): Promise<void>;
  /** What the last line adds after `<signal>: stopped` once closed, e.g. ` after storing 25 messages`. */
  summary?: () => string;
  /** Settles when the service is done by itself (`trigger --count`): it is closed, no signal awaited. */
  finished?: Promise<void>;
}

/** Where `runService` serves `/healthz` and `/metrics`; undefined serves none. */
export type OpsAddress = { port: number; host: string } | undefined;

/**
 * The one life cycle of every long-running command: start the service, serve `/healthz` and
 * `/metrics` (when `ops` names a port), say `ready: …` once, wait for SIGINT or SIGTERM, then close
 * the ops server and the service and say `<signal>: stopped` (a service that finishes by itself is
 * closed without that line). A service that fails to start, or
 * whose ops port is taken, is closed again before the error reaches the user.
 */
export async function runService(
  io: CommandIo,
  name: string,
  ops: OpsAddress,
  start: (context: ServiceContext) => Promise<RunningService>,
): Promise<void> {
  const logger = stderrLogger(name, io);
  const metrics = createCommandMetrics(name);
  const service = await start({ logger, metrics, opsRoutes: (health) => opsRoutes(metrics, health) });
  const health: HealthCheck = service.health ?? (() => ({ ok: true }));
  let server: Awaited<ReturnType<typeof serveOps>> | undefined;
  if (ops !== undefined) {
    const routes = opsRoutes(metrics, health);
    try {
      server = await serveOps(service.routes?.(routes) ?? routes, ops.port, ops.host);
    } catch (error) {
      await service.close();
      throw error;
    }
  }
  const url = server === undefined ? undefined : `http://${ops?.host}:${server.port}`;
  if (typeof service.ready === "function") logger.info(`ready: ${service.ready(url)}`);
  else logger.info(`ready: ${service.ready}${url === undefined ? "" : `, metrics ${url}/metrics`}`);
  const signal = await Promise.race([untilStopped(), ...(service.finished === undefined ? [] : [service.finished])]);
  await server?.close();
  await service.close();
  if (signal !== undefined) logger.info(`${signal}: stopped${service.summary?.() ?? ""}`);
}
