import { type Static, Type } from "@sinclair/typebox";
import { defaultMaxMessageBytes } from "../bounded-json.js";
import type { EnvironmentOverride } from "./config-section.js";

const addresses = Type.Array(Type.String({ minLength: 1 }), {
  description: "ZeroMQ addresses, e.g. tcp://127.0.0.1:9941",
});

/**
 * The core keys of `herald.toml`: the bus (prefix, environment, transport), signing, trust, the
 * relays publishers send through, and policy. Services add their own keys as configuration
 * sections (`[store]`, `[hub]`, …). Keys are snake_case, as TOML files usually are; every one is
 * optional and has a default (see `defaultConfigFile`).
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
    max_message_bytes: Type.Optional(
      Type.Integer({
        minimum: 1024,
        description: "the largest frame a ZeroMQ socket accepts; a peer that sends more is disconnected",
      }),
    ),
    spool_dir: Type.Optional(Type.String({ description: "where messages wait when no relay answers" })),
    state_dir: Type.Optional(
      Type.String({
        description: "where the commands keep their state (spool, journal, store, caches) unless told otherwise",
      }),
    ),
    endpoints: Type.Optional(Type.Record(Type.String(), addresses)),
    transport: Type.Optional(
      Type.Union([Type.Literal("zeromq"), Type.Literal("amqp")], {
        description: "zeromq (brokerless, the default) or amqp (RabbitMQ)",
      }),
    ),
    amqp: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(Type.String({ description: "amqp://user:password@host:5672/vhost, amqps:// for TLS" })),
          urls: Type.Optional(
            Type.Array(Type.String(), {
              minItems: 1,
              description:
                "every node of a RabbitMQ cluster, tried in turn when one fails (credentials, vhost and TLS from the first)",
            }),
          ),
          exchange: Type.Optional(Type.String({ minLength: 1 })),
          queue: Type.Optional(Type.String({ minLength: 1, description: "durable queue of long-running consumers" })),
          prefetch: Type.Optional(Type.Integer({ minimum: 1 })),
          delivery_limit: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    policy: Type.Optional(
      Type.Object(
        {
          allow_unsigned: Type.Optional(Type.Array(Type.String())),
          canonical_only: Type.Optional(Type.Array(Type.String())),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A parsed `herald.toml`. */
export type ConfigFile = Static<typeof configFileSchema>;

/** A relay's default ports: ROUTER inbound, PUB outbound, HTTP inbound. */
export const defaultRelayPorts = { inbound: 9940, outbound: 9941, http: 9942 } as const;

/** The defaults: a local bus on loopback with the relay's default ports. */
export const defaultConfigFile = {
  prefix: "org.example",
  environment: "dev",
  relays: ["tcp://127.0.0.1:9940"],
  relay_timeout_ms: 3000,
  max_message_bytes: defaultMaxMessageBytes,
  endpoints: { local: ["tcp://127.0.0.1:9941"] },
  transport: "zeromq" as "zeromq" | "amqp",
  amqp: { url: "amqp://guest:guest@127.0.0.1:5672", exchange: "herald", prefetch: 256, delivery_limit: 5 },
  policy: { allow_unsigned: [] as string[], canonical_only: [] as string[] },
} satisfies ConfigFile;

/**
 * Environment variables that override a key, each named `HERALD_` and the key's path in upper
 * case. Lists are comma-separated. `HERALD_ENDPOINTS_<NAME>` sets one endpoint list.
 */
export const environmentOverrides: Record<string, EnvironmentOverride> = {
  HERALD_PREFIX: { path: ["prefix"] },
  HERALD_ENVIRONMENT: { path: ["environment"] },
  HERALD_SOURCE: { path: ["source"] },
  HERALD_KEY_FILE: { path: ["key_file"] },
  HERALD_KEY_ID: { path: ["key_id"] },
  HERALD_TRUST_FILE: { path: ["trust_file"] },
  HERALD_RELAYS: { path: ["relays"], list: true },
  HERALD_RELAY_TIMEOUT_MS: { path: ["relay_timeout_ms"], integer: true },
  HERALD_MAX_MESSAGE_BYTES: { path: ["max_message_bytes"], integer: true },
  HERALD_SPOOL_DIR: { path: ["spool_dir"] },
  HERALD_STATE_DIR: { path: ["state_dir"] },
  HERALD_TRANSPORT: { path: ["transport"] },
  HERALD_AMQP_URL: { path: ["amqp", "url"] },
  HERALD_AMQP_URLS: { path: ["amqp", "urls"], list: true },
  HERALD_AMQP_EXCHANGE: { path: ["amqp", "exchange"] },
  HERALD_AMQP_QUEUE: { path: ["amqp", "queue"] },
  HERALD_AMQP_PREFETCH: { path: ["amqp", "prefetch"], integer: true },
  HERALD_AMQP_DELIVERY_LIMIT: { path: ["amqp", "delivery_limit"], integer: true },
  HERALD_POLICY_ALLOW_UNSIGNED: { path: ["policy", "allow_unsigned"], list: true },
  HERALD_POLICY_CANONICAL_ONLY: { path: ["policy", "canonical_only"], list: true },
};
