import { defineConfigSection, isValidTopicPattern } from "@herald/sdk";
import { type Static, Type } from "@sinclair/typebox";

const port = Type.Integer({ minimum: 0, maximum: 65535 });

/** One `[[irc.channels]]` entry: a channel and what is posted there. */
export const ircChannelConfigSchema = Type.Object(
  {
    name: Type.String({ pattern: "^[#&][^\\s,]{1,49}$", description: "#channel" }),
    topics: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: "full-topic patterns" })),
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

/** `herald irc`: the server (none until set), identity, rate limit, channels. */
export interface IrcSettings {
  server?: string;
  port: number;
  tls: boolean;
  nick: string;
  saslAccount?: string;
  saslPasswordFile?: string;
  messagesPerSecond: number;
  burst: number;
  httpPort: number;
  httpHost: string;
  channels: IrcChannelConfig[];
}

/** The configuration of an IRC bot: `config.irc`. */
export interface IrcConfig {
  irc: IrcSettings;
}

const defaults = {
  port: 6697,
  tls: true,
  nick: "herald",
  messages_per_second: 1,
  burst: 4,
  http_port: 9980,
  http_host: "127.0.0.1",
};

/** `[irc]`, the IRC bot's section of `herald.toml` (compose it with `loadConfig({ sections })`). */
export const ircConfigSection = defineConfigSection({
  key: "irc",
  schema: ircConfigSchema,
  defaults,
  environment: {
    HERALD_IRC_SERVER: { path: ["server"] },
    HERALD_IRC_PORT: { path: ["port"], integer: true },
    HERALD_IRC_NICK: { path: ["nick"] },
    HERALD_IRC_HTTP_PORT: { path: ["http_port"], integer: true },
  },
  resolve(value, context): IrcSettings {
    const irc = value as Static<typeof ircConfigSchema>;
    for (const [index, channel] of (irc.channels ?? []).entries())
      for (const pattern of channel.topics ?? [])
        if (!isValidTopicPattern(pattern))
          context.fail(`irc.channels[${index}] (${channel.name})`, `${JSON.stringify(pattern)} is not a topic pattern`);
    const settings: IrcSettings = {
      port: irc.port ?? defaults.port,
      tls: irc.tls ?? defaults.tls,
      nick: irc.nick ?? defaults.nick,
      messagesPerSecond: irc.messages_per_second ?? defaults.messages_per_second,
      burst: irc.burst ?? defaults.burst,
      httpPort: irc.http_port ?? defaults.http_port,
      httpHost: irc.http_host ?? defaults.http_host,
      channels: irc.channels ?? [],
    };
    if (irc.server !== undefined) settings.server = irc.server;
    if (irc.sasl_account !== undefined) settings.saslAccount = irc.sasl_account;
    const passwordFile = context.path("irc.sasl_password_file", irc.sasl_password_file);
    if (passwordFile !== undefined) settings.saslPasswordFile = passwordFile;
    return settings;
  },
});
