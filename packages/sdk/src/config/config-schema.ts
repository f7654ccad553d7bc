import { type Static, Type } from "@sinclair/typebox";
import { hubConfigSchema, ircConfigSchema, notificationsConfigSchema } from "./consumer-config-schema.js";

const addresses = Type.Array(Type.String({ minLength: 1 }), {
  description: "ZeroMQ addresses, e.g. tcp://127.0.0.1:9941",
});
const port = Type.Integer({ minimum: 0, maximum: 65535 });

/** One `[[bridges]]` entry: what `herald bridge` connects the bus to (docs/bridges.md). */
export const bridgeConfigSchema = Type.Object(
  {
    name: Type.String({ pattern: "^[a-z0-9][a-z0-9._-]{0,63}$", description: "names its queue and its metrics" }),
    kind: Type.Union(
      [Type.Literal("amqp"), Type.Literal("fedmsg"), Type.Literal("fedora-messaging"), Type.Literal("amqp-foreign")],
      { description: "Herald over RabbitMQ, a fedmsg bus, fedora-messaging, or any AMQP broker" },
    ),
    direction: Type.Optional(
      Type.Union([Type.Literal("in"), Type.Literal("out"), Type.Literal("both")], {
        description: "in: onto the Herald bus; out: from it; both (default; amqp-foreign is in only)",
      }),
    ),
    topics: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: "topic patterns bridged" })),
    url: Type.Optional(Type.String({ description: "the broker, amqp://… or amqps://…; default [amqp] url" })),
    exchange: Type.Optional(Type.String({ minLength: 1 })),
    queue: Type.Optional(Type.String({ minLength: 1, description: "durable queue; default herald.bridge.<name>" })),
    connect: Type.Optional(addresses),
    bind: Type.Optional(addresses),
    rules: Type.Optional(
      Type.Array(
        Type.Object(
          {
            match: Type.String({ minLength: 1, description: "routing-key pattern on the foreign broker" }),
            topic: Type.String({ minLength: 1, description: "Herald topic; {key} is the routing key" }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

/** A parsed `[[bridges]]` entry. */
export type BridgeConfig = Static<typeof bridgeConfigSchema>;

/**
 * The form of `herald.toml`. Keys are snake_case, as TOML files usually are; every one is optional
 * and has a default (see `defaultConfigFile`).
 */
export const configFileSchema = Type.Object(
  {
    prefix: Type.Optional(Type.String({ description: "topic prefix, e.g. org.example" })),
    environment: Type.Optional(Type.String({ description: "prod, stg, dev, ..." })),
    source: Type.Optional(Type.String({ description: "source of published envelopes, /<app>/<host>" })),
    key_file: Type.Optional(Type.String({ description: "PKCS#8 PEM private key to sign with" })),
    key_id: Type.Optional(Type.String({ description: "the signing key's id" })),
    trust_file: Type.Optional(Type.String({ description: "the trust file of PROTOCOL.md §4" })),
    relays: Type.Optional(addresses),
    relay_timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    spool_dir: Type.Optional(Type.String({ description: "where messages wait when no relay answers" })),
    endpoints: Type.Optional(Type.Record(Type.String(), addresses)),
    relay: Type.Optional(
      Type.Object(
        {
          inbound: Type.Optional(addresses),
          outbound: Type.Optional(addresses),
          http_port: Type.Optional(port),
          http_host: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    transport: Type.Optional(
      Type.Union([Type.Literal("zeromq"), Type.Literal("amqp")], {
        description: "zeromq (brokerless, the default) or amqp (RabbitMQ)",
      }),
    ),
    amqp: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(Type.String({ description: "amqp://user:password@host:5672/vhost, amqps:// for TLS" })),
          exchange: Type.Optional(Type.String({ minLength: 1 })),
          queue: Type.Optional(Type.String({ minLength: 1, description: "durable queue of long-running consumers" })),
          prefetch: Type.Optional(Type.Integer({ minimum: 1 })),
          delivery_limit: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    store: Type.Optional(
      Type.Object(
        {
          db: Type.Optional(Type.String({ description: "sqlite:FILE or postgres://… where herald store archives" })),
          http_port: Type.Optional(port),
          http_host: Type.Optional(Type.String()),
          peers: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), { description: "other stores' query API URLs, to recover from" }),
          ),
          url: Type.Optional(Type.String({ description: "the query API that herald query, stats and replay read" })),
        },
        { additionalProperties: false },
      ),
    ),
    bridge: Type.Optional(
      Type.Object(
        { http_port: Type.Optional(port), http_host: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    bridges: Type.Optional(Type.Array(bridgeConfigSchema)),
    hub: Type.Optional(hubConfigSchema),
    irc: Type.Optional(ircConfigSchema),
    notifications: Type.Optional(notificationsConfigSchema),
    policy: Type.Optional(
      Type.Object({ allow_unsigned: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

/** A parsed `herald.toml`. */
export type ConfigFile = Static<typeof configFileSchema>;

/** The defaults: a local bus on loopback with the relay's default ports. */
export const defaultConfigFile = {
  prefix: "org.example",
  environment: "dev",
  relays: ["tcp://127.0.0.1:9940"],
  relay_timeout_ms: 3000,
  endpoints: { local: ["tcp://127.0.0.1:9941"] },
  relay: {
    inbound: ["tcp://127.0.0.1:9940"],
    outbound: ["tcp://127.0.0.1:9941"],
    http_port: 9942,
    http_host: "127.0.0.1",
  },
  transport: "zeromq" as "zeromq" | "amqp",
  amqp: { url: "amqp://guest:guest@127.0.0.1:5672", exchange: "herald", prefetch: 256, delivery_limit: 5 },
  store: { http_port: 9950, http_host: "127.0.0.1", peers: [] as string[], url: "http://127.0.0.1:9950" },
  bridge: { http_port: 9960, http_host: "127.0.0.1" },
  hub: {
    http_port: 9970,
    http_host: "127.0.0.1",
    concurrency: 4,
    timeout_ms: 30000,
    attempts: 3,
    retry_delay_ms: 1000,
    isolate_after: 5,
  },
  irc: {
    port: 6697,
    tls: true,
    nick: "herald",
    messages_per_second: 1,
    burst: 4,
    http_port: 9980,
    http_host: "127.0.0.1",
  },
  notifications: { http_port: 9990, http_host: "127.0.0.1", from: "herald@localhost", emails_per_hour: 12 },
  policy: { allow_unsigned: [] as string[] },
} satisfies ConfigFile;

/**
 * Environment variables that override a key, each named `HERALD_` and the key's path in upper
 * case. Lists are comma-separated. `HERALD_ENDPOINTS_<NAME>` sets one endpoint list.
 */
export const environmentOverrides: Record<string, { path: string[]; list?: true; integer?: true }> = {
  HERALD_PREFIX: { path: ["prefix"] },
  HERALD_ENVIRONMENT: { path: ["environment"] },
  HERALD_SOURCE: { path: ["source"] },
  HERALD_KEY_FILE: { path: ["key_file"] },
  HERALD_KEY_ID: { path: ["key_id"] },
  HERALD_TRUST_FILE: { path: ["trust_file"] },
  HERALD_RELAYS: { path: ["relays"], list: true },
  HERALD_RELAY_TIMEOUT_MS: { path: ["relay_timeout_ms"], integer: true },
  HERALD_SPOOL_DIR: { path: ["spool_dir"] },
  HERALD_RELAY_INBOUND: { path: ["relay", "inbound"], list: true },
  HERALD_RELAY_OUTBOUND: { path: ["relay", "outbound"], list: true },
  HERALD_RELAY_HTTP_PORT: { path: ["relay", "http_port"], integer: true },
  HERALD_RELAY_HTTP_HOST: { path: ["relay", "http_host"] },
  HERALD_TRANSPORT: { path: ["transport"] },
  HERALD_AMQP_URL: { path: ["amqp", "url"] },
  HERALD_AMQP_EXCHANGE: { path: ["amqp", "exchange"] },
  HERALD_AMQP_QUEUE: { path: ["amqp", "queue"] },
  HERALD_AMQP_PREFETCH: { path: ["amqp", "prefetch"], integer: true },
  HERALD_AMQP_DELIVERY_LIMIT: { path: ["amqp", "delivery_limit"], integer: true },
  HERALD_STORE_DB: { path: ["store", "db"] },
  HERALD_STORE_HTTP_PORT: { path: ["store", "http_port"], integer: true },
  HERALD_STORE_HTTP_HOST: { path: ["store", "http_host"] },
  HERALD_STORE_PEERS: { path: ["store", "peers"], list: true },
  HERALD_STORE_URL: { path: ["store", "url"] },
  HERALD_BRIDGE_HTTP_PORT: { path: ["bridge", "http_port"], integer: true },
  HERALD_BRIDGE_HTTP_HOST: { path: ["bridge", "http_host"] },
  HERALD_HUB_HTTP_PORT: { path: ["hub", "http_port"], integer: true },
  HERALD_HUB_HTTP_HOST: { path: ["hub", "http_host"] },
  HERALD_IRC_SERVER: { path: ["irc", "server"] },
  HERALD_IRC_PORT: { path: ["irc", "port"], integer: true },
  HERALD_IRC_NICK: { path: ["irc", "nick"] },
  HERALD_IRC_HTTP_PORT: { path: ["irc", "http_port"], integer: true },
  HERALD_NOTIFICATIONS_DB: { path: ["notifications", "db"] },
  HERALD_NOTIFICATIONS_HTTP_PORT: { path: ["notifications", "http_port"], integer: true },
  HERALD_NOTIFICATIONS_PUBLIC_URL: { path: ["notifications", "public_url"] },
  HERALD_NOTIFICATIONS_SMTP_URL: { path: ["notifications", "smtp_url"] },
  HERALD_POLICY_ALLOW_UNSIGNED: { path: ["policy", "allow_unsigned"], list: true },
};
