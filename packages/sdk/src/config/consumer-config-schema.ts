import { type Static, Type } from "@sinclair/typebox";

const port = Type.Integer({ minimum: 0, maximum: 65535 });
const topicPatterns = Type.Array(Type.String({ minLength: 1 }), { description: "full-topic patterns" });

/** How the hub runs a consumer's handler: shared defaults in `[hub]`, overridden per consumer. */
const consumerLimits = {
  concurrency: Type.Optional(Type.Integer({ minimum: 1, description: "handlers running at once (default 4)" })),
  timeout_ms: Type.Optional(Type.Integer({ minimum: 1, description: "how long one attempt may take (default 30000)" })),
  attempts: Type.Optional(Type.Integer({ minimum: 1, description: "tries per message before it fails (default 3)" })),
  retry_delay_ms: Type.Optional(
    Type.Integer({ minimum: 0, description: "wait before the first retry, doubled each time (default 1000)" }),
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

/** A parsed `[[hub.consumers]]` entry. */
export type HubConsumerConfig = Static<typeof hubConsumerConfigSchema>;

/** The `[hub]` table of `herald.toml`. */
export const hubConfigSchema = Type.Object(
  {
    http_port: Type.Optional(port),
    http_host: Type.Optional(Type.String()),
    consumers: Type.Optional(Type.Array(hubConsumerConfigSchema)),
    ...consumerLimits,
  },
  { additionalProperties: false },
);

/** One `[[irc.channels]]` entry: a channel and what is posted there. */
export const ircChannelConfigSchema = Type.Object(
  {
    name: Type.String({ pattern: "^[#&][^\\s,]{1,49}$", description: "#channel" }),
    topics: Type.Optional(topicPatterns),
    apps: Type.Optional(Type.Array(Type.String(), { description: "only messages of these apps" })),
    users: Type.Optional(Type.Array(Type.String(), { description: "only messages naming these users" })),
    packages: Type.Optional(Type.Array(Type.String(), { description: "only messages naming these packages" })),
  },
  { additionalProperties: false },
);

/** A parsed `[[irc.channels]]` entry. */
export type IrcChannelConfig = Static<typeof ircChannelConfigSchema>;

/** The `[irc]` table of `herald.toml`: the server `herald irc` joins and its channels. */
export const ircConfigSchema = Type.Object(
  {
    server: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Optional(port),
    tls: Type.Optional(Type.Boolean()),
    nick: Type.Optional(Type.String({ pattern: "^[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0,29}$" })),
    sasl_account: Type.Optional(Type.String()),
    sasl_password_file: Type.Optional(Type.String({ description: "a file holding the SASL password" })),
    messages_per_second: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "sustained rate (default 1)" })),
    burst: Type.Optional(
      Type.Integer({ minimum: 1, description: "lines sent at once before the rate applies (default 4)" }),
    ),
    http_port: Type.Optional(port),
    http_host: Type.Optional(Type.String()),
    channels: Type.Optional(Type.Array(ircChannelConfigSchema)),
  },
  { additionalProperties: false },
);

/** The `[notifications]` table: where preferences live and how each kind of delivery is made. */
export const notificationsConfigSchema = Type.Object(
  {
    db: Type.Optional(Type.String({ description: "sqlite:FILE or postgres://…; default [store] db" })),
    http_port: Type.Optional(port),
    http_host: Type.Optional(Type.String()),
    public_url: Type.Optional(Type.String({ description: "the preferences page as users reach it" })),
    smtp_url: Type.Optional(Type.String({ description: "smtp://host:port or smtps://user:pass@host" })),
    from: Type.Optional(Type.String({ description: "the From: address of e-mails" })),
    emails_per_hour: Type.Optional(Type.Integer({ minimum: 1, description: "cap per user (default 12)" })),
  },
  { additionalProperties: false },
);
