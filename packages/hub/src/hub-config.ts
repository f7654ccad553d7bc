import { defineConfigSection } from "@herald/sdk";
import { type Static, Type } from "@sinclair/typebox";

/** How the hub runs a consumer's handler: shared defaults in `[hub]`, overridden per consumer. */
const consumerLimits = {
  concurrency: Type.Optional(Type.Integer({ minimum: 1, description: "handlers running at once (default 4)" })),
  timeout_ms: Type.Optional(Type.Integer({ minimum: 1, description: "how long one attempt may take (default 30000)" })),
  attempts: Type.Optional(Type.Integer({ minimum: 1, description: "tries per message before it fails (default 3)" })),
  retry_delay_ms: Type.Optional(
    Type.Integer({ minimum: 0, description: "wait before the first retry, doubled each time (default 1000)" }),
  ),
  isolation: Type.Optional(
    Type.Union([Type.Literal("thread"), Type.Literal("none")], {
      description:
        "thread (default): the handler runs in a worker thread of its own, so exiting, crashing or blocking cannot stop the others; none: in the hub's thread",
    }),
  ),
  isolate_after: Type.Optional(
    Type.Integer({ minimum: 1, description: "messages failed in a row before the consumer is isolated (default 5)" }),
  ),
};

/** One `[[hub.consumers]]` entry: a consumer module the hub hosts (docs/hub.md). */
export const hubConsumerConfigSchema = Type.Object(
  {
    module: Type.String({ minLength: 1, description: "the module's path (relative to this file) or package name" }),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "passed to the consumer" })),
    ...consumerLimits,
  },
  { additionalProperties: false },
);

/** The `[hub]` table of `herald.toml`. */
export const hubConfigSchema = Type.Object(
  {
    http_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    http_host: Type.Optional(Type.String()),
    consumers: Type.Optional(Type.Array(hubConsumerConfigSchema)),
    ...consumerLimits,
  },
  { additionalProperties: false },
);

/** Where a consumer's handler runs: a worker thread of its own, or the hub's thread. */
export type Isolation = "thread" | "none";

/** How the hub runs one consumer's handlers (`[hub]` defaults, overridden per consumer). */
export interface ConsumerLimits {
  concurrency: number;
  timeoutMs: number;
  attempts: number;
  retryDelayMs: number;
  isolateAfter: number;
}

/** One hosted consumer: its module (a resolved path or a package name), settings and limits. */
export interface HubConsumer {
  module: string;
  settings: Record<string, unknown>;
  limits: ConsumerLimits;
  isolation: Isolation;
}

/** `herald hub`: its health and metrics port, the default limits, and the consumers it hosts. */
export interface HubSettings {
  httpPort: number;
  httpHost: string;
  limits: ConsumerLimits;
  consumers: HubConsumer[];
}

/** The configuration of a hub: `config.hub`. */
export interface HubConfig {
  hub: HubSettings;
}

const defaults = {
  http_port: 9970,
  http_host: "127.0.0.1",
  concurrency: 4,
  timeout_ms: 30000,
  attempts: 3,
  retry_delay_ms: 1000,
  isolate_after: 5,
  isolation: "thread" as Isolation,
};

type LimitsTable = Partial<Record<Exclude<keyof typeof consumerLimits, "isolation">, number>>;

function limitsOf(table: LimitsTable, fallback: ConsumerLimits): ConsumerLimits {
  return {
    concurrency: table.concurrency ?? fallback.concurrency,
    timeoutMs: table.timeout_ms ?? fallback.timeoutMs,
    attempts: table.attempts ?? fallback.attempts,
    retryDelayMs: table.retry_delay_ms ?? fallback.retryDelayMs,
    isolateAfter: table.isolate_after ?? fallback.isolateAfter,
  };
}

/** `[hub]`, the hub's section of `herald.toml` (compose it with `loadConfig({ sections })`). */
export const hubConfigSection = defineConfigSection({
  key: "hub",
  schema: hubConfigSchema,
  defaults,
  environment: {
    HERALD_HUB_HTTP_PORT: { path: ["http_port"], integer: true },
    HERALD_HUB_HTTP_HOST: { path: ["http_host"] },
  },
  resolve(value, context): HubSettings {
    const hub = value as Static<typeof hubConfigSchema>;
    const limits = limitsOf(hub, {
      concurrency: defaults.concurrency,
      timeoutMs: defaults.timeout_ms,
      attempts: defaults.attempts,
      retryDelayMs: defaults.retry_delay_ms,
      isolateAfter: defaults.isolate_after,
    });
    return {
      httpPort: hub.http_port ?? defaults.http_port,
      httpHost: hub.http_host ?? defaults.http_host,
      limits,
      consumers: (hub.consumers ?? []).map((consumer) => ({
        // A path is relative to the file naming it; anything else is a package name for import().
        module: /^\.{0,2}\//.test(consumer.module)
          ? (context.path("hub.consumers", consumer.module) as string)
          : consumer.module,
        settings: consumer.settings ?? {},
        limits: limitsOf(consumer, limits),
        isolation: consumer.isolation ?? hub.isolation ?? defaults.isolation,
      })),
    };
  },
});
