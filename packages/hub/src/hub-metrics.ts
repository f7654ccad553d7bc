import type { CommandMetrics } from "@herald/ops";
import { admissionSource } from "@herald/ops";
import { Counter, Gauge } from "prom-client";
import type { Hub } from "./hub.js";

type Reading = "handled" | "failed" | "retries" | "timeouts" | "inFlight" | "waiting";

const perConsumer: Record<Reading, [name: string, help: string, kind: "counter" | "gauge"]> = {
  handled: ["herald_consumer_handled_total", "Messages a consumer handled", "counter"],
  failed: ["herald_consumer_failed_total", "Messages that failed every attempt", "counter"],
  retries: ["herald_consumer_retries_total", "Attempts after the first", "counter"],
  timeouts: ["herald_consumer_timeouts_total", "Attempts that ran out of time", "counter"],
  inFlight: ["herald_consumer_in_flight", "Handlers running now", "gauge"],
  waiting: ["herald_consumer_waiting", "Messages waiting for a free handler slot", "gauge"],
};

/**
 * Adds the hub's per-consumer metrics (`herald_consumer_*{consumer}`, and
 * `herald_consumer_isolated` 1 for an isolated consumer) and each consumer's subscription
 * (received, refused by reason) under `part=<consumer>`. Read at scrape time.
 */
export function addHubMetrics(metrics: CommandMetrics, hub: Hub): void {
  for (const entry of hub.consumers) metrics.add(admissionSource(entry.runner.name, entry.admission));
  for (const [reading, [name, help, kind]] of Object.entries(perConsumer) as [
    Reading,
    (typeof perConsumer)[Reading],
  ][]) {
    const Metric = kind === "counter" ? Counter : Gauge;
    new Metric({
      name,
      help,
      labelNames: ["consumer"],
      registers: [metrics.registry],
      collect(this: Counter | Gauge) {
        this.reset();
        for (const { runner } of hub.consumers) {
          if (this instanceof Counter) this.inc({ consumer: runner.name }, runner.stats[reading]);
          else this.set({ consumer: runner.name }, runner.stats[reading]);
        }
      },
    });
  }
  new Counter({
    name: "herald_consumer_thread_restarts_total",
    help: "A consumer's threads that ended (exit, uncaught error) or were stopped as blocked, each replaced",
    labelNames: ["consumer"],
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const entry of hub.consumers) this.inc({ consumer: entry.runner.name }, entry.threadRestarts());
    },
  });
  new Gauge({
    name: "herald_consumer_isolated",
    help: "1 while a consumer is isolated after failing too often",
    labelNames: ["consumer"],
    registers: [metrics.registry],
    collect() {
      for (const { runner } of hub.consumers) this.set({ consumer: runner.name }, runner.state === "isolated" ? 1 : 0);
    },
  });
}

/** `/healthz` of the hub: healthy while no consumer is isolated; each consumer's state and counts. */
export function hubHealth(hub: Hub) {
  const consumers = Object.fromEntries(
    hub.consumers.map((entry) => {
      const { runner } = entry;
      const lastThreadExit = entry.lastThreadExit();
      return [
        runner.name,
        {
          state: runner.state,
          isolation: entry.isolation,
          handled: runner.stats.handled,
          failed: runner.stats.failed,
          ...(runner.state === "isolated" ? { lastError: runner.lastError } : {}),
          ...(entry.isolation === "thread" ? { threadRestarts: entry.threadRestarts() } : {}),
          ...(lastThreadExit === undefined ? {} : { lastThreadExit }),
        },
      ];
    }),
  );
  return { ok: hub.consumers.every(({ runner }) => runner.state === "running"), consumers };
}
