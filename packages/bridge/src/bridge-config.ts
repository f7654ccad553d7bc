import { defineConfigSection, isValidTopicPattern } from "@herald/sdk";
import { type Static, Type } from "@sinclair/typebox";

const addresses = Type.Array(Type.String({ minLength: 1 }), {
  description: "ZeroMQ addresses, e.g. tcp://127.0.0.1:9941",
});

/** One `[[bridges]]` entry: what `herald bridge` connects the bus to (docs/bridges.md). */
export const bridgeConfigSchema = Type.Object(
  {
    name: Type.String({ pattern: "^[a-z0-9][a-z0-9._-]{0,63}$", description: "names its queue and its metrics" }),
    kind: Type.Union(
      [
        Type.Literal("amqp"),
        Type.Literal("fedmsg"),
        Type.Literal("fedora-messaging"),
        Type.Literal("amqp-foreign"),
        Type.Literal("amqp10"),
        Type.Literal("stomp"),
      ],
      {
        description:
          "Herald over RabbitMQ, a fedmsg bus, fedora-messaging, or JSON from an AMQP 0-9-1, AMQP 1.0 or STOMP broker",
      },
    ),
    direction: Type.Optional(
      Type.Union([Type.Literal("in"), Type.Literal("out"), Type.Literal("both")], {
        description: "in: onto the Herald bus; out: from it; both (default; amqp-foreign is in only)",
      }),
    ),
    topics: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: "topic patterns bridged" })),
    url: Type.Optional(
      Type.String({
        description: "the broker: amqp://… or amqps://… (default [amqp] url); stomp://… or stomp+ssl://… for stomp",
      }),
    ),
    addresses: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
        minItems: 1,
        description: "amqp10 and stomp: what to read, queues or topics (topic://…, VirtualTopic.…)",
      }),
    ),
    subscription: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z0-9_-]{1,100}$",
        description: "names the durable subscription or consumer queue; default herald-<name>",
      }),
    ),
    prefetch: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: "amqp10 credit, stomp prefetch; default [amqp] prefetch",
      }),
    ),
    tls_ca: Type.Optional(Type.String({ minLength: 1, description: "PEM CA the broker's certificate must chain to" })),
    tls_cert: Type.Optional(Type.String({ minLength: 1, description: "PEM client certificate (with tls_key)" })),
    tls_key: Type.Optional(Type.String({ minLength: 1, description: "PEM key of tls_cert" })),
    sasl: Type.Optional(
      Type.Union([Type.Literal("PLAIN"), Type.Literal("EXTERNAL"), Type.Literal("ANONYMOUS")], {
        description: "amqp10: default EXTERNAL with tls_cert and no user, PLAIN with a user, else ANONYMOUS",
      }),
    ),
    exchange: Type.Optional(Type.String({ minLength: 1 })),
    queue: Type.Optional(Type.String({ minLength: 1, description: "durable queue; default herald.bridge.<name>" })),
    connect: Type.Optional(addresses),
    bind: Type.Optional(addresses),
    x509_key: Type.Optional(
      Type.String({ minLength: 1, description: "fedmsg out: RSA key (PEM) to sign with, as fedmsg's X.509 backend" }),
    ),
    x509_cert: Type.Optional(
      Type.String({
        minLength: 1,
        description: "fedmsg out: the key's certificate (PEM), signed by the consumers' CA",
      }),
    ),
    rules: Type.Optional(
      Type.Array(
        Type.Object(
          {
            match: Type.String({ minLength: 1, description: "routing-key pattern on the foreign broker" }),
            topic: Type.String({
              minLength: 1,
              description: "Herald topic; {key} is the routing key, {1}, {2}… what its wildcards matched",
            }),
            schema: Type.Optional(
              Type.String({
                pattern: "^[a-z0-9_-]+(\\.[a-z0-9_-]+)*/[0-9]+\\.[0-9]+$",
                description: "the registry schema the data follows (bugzilla.bug.create/1.0): relays check it",
              }),
            ),
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

/** The `[bridge]` table: where `herald bridge` serves `/healthz` and `/metrics`. */
export const bridgeServiceConfigSchema = Type.Object(
  { http_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })), http_host: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** The configuration of the bridges: `config.bridge` (ops port) and `config.bridges`. */
export interface BridgesConfig {
  bridge: { httpPort: number; httpHost: string };
  bridges: BridgeConfig[];
}

const serviceDefaults = { http_port: 9960, http_host: "127.0.0.1" };

/** `[bridge]`: the bridges' health and metrics port. */
export const bridgeConfigSection = defineConfigSection({
  key: "bridge",
  schema: bridgeServiceConfigSchema,
  defaults: serviceDefaults,
  environment: {
    HERALD_BRIDGE_HTTP_PORT: { path: ["http_port"], integer: true },
    HERALD_BRIDGE_HTTP_HOST: { path: ["http_host"] },
  },
  resolve(value): BridgesConfig["bridge"] {
    const table = value as Static<typeof bridgeServiceConfigSchema>;
    return {
      httpPort: table.http_port ?? serviceDefaults.http_port,
      httpHost: table.http_host ?? serviceDefaults.http_host,
    };
  },
});

/** `[[bridges]]`: what the bus is bridged to. Topic patterns are checked and names must differ. */
export const bridgesConfigSection = defineConfigSection({
  key: "bridges",
  schema: Type.Array(bridgeConfigSchema),
  resolve(value, context): BridgeConfig[] {
    const bridges = (value as BridgeConfig[] | undefined) ?? [];
    for (const [index, bridge] of bridges.entries())
      for (const pattern of bridge.topics ?? [])
        if (!isValidTopicPattern(pattern))
          context.fail(`bridges[${index}] (${bridge.name})`, `${JSON.stringify(pattern)} is not a topic pattern`);
    const names = bridges.map((bridge) => bridge.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) context.fail("bridges", `two bridges are named ${repeated}`);
    return bridges;
  },
});
