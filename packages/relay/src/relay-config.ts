import { defaultRelayPorts, defineConfigSection } from "@herald/sdk";
import { type Static, Type } from "@sinclair/typebox";

const addresses = Type.Array(Type.String({ minLength: 1 }), { description: "ZeroMQ addresses to bind" });

/** The `[relay]` table of `herald.toml`. */
export const relayConfigSchema = Type.Object(
  {
    inbound: Type.Optional(addresses),
    outbound: Type.Optional(addresses),
    http_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    http_host: Type.Optional(Type.String()),
    journal_file: Type.Optional(
      Type.String({
        description:
          "the relay's journal: its sender id, the ids and messages it acknowledged, fsync'd before each acknowledgement (default: the state folder)",
      }),
    ),
    replay_file: Type.Optional(Type.String({ description: "the earlier name of journal_file" })),
    http_token_file: Type.Optional(
      Type.String({
        description:
          "a file holding the token that {topic, data} posts must carry (Authorization: Bearer …) to be signed with the relay's key",
      }),
    ),
  },
  { additionalProperties: false },
);

/** Where `herald relay` listens. */
export interface RelaySettings {
  inbound: string[];
  outbound: string[];
  httpPort: number;
  httpHost: string;
  /**
   * The relay's journal (its sender id, numbers, and the ids and messages it acknowledged, kept
   * across restarts); unset, a file of the state folder named after the relay's inbound addresses.
   */
  journalFile?: string;
  /** The state folder (`$XDG_STATE_HOME/herald`), for the default journal. */
  stateDir: string;
  /** The file of the token `{topic, data}` posts carry to be signed with the relay's key. */
  httpTokenFile?: string;
}

/** The configuration of a relay: `config.relay`. */
export interface RelayConfig {
  relay: RelaySettings;
}

/** `[relay]`, the relay's own section of `herald.toml` (compose it with `loadConfig({ sections })`). */
export const relayConfigSection = defineConfigSection({
  key: "relay",
  schema: relayConfigSchema,
  defaults: {
    inbound: [`tcp://127.0.0.1:${defaultRelayPorts.inbound}`],
    outbound: [`tcp://127.0.0.1:${defaultRelayPorts.outbound}`],
    http_port: defaultRelayPorts.http,
    http_host: "127.0.0.1",
  },
  environment: {
    HERALD_RELAY_INBOUND: { path: ["inbound"], list: true },
    HERALD_RELAY_OUTBOUND: { path: ["outbound"], list: true },
    HERALD_RELAY_HTTP_PORT: { path: ["http_port"], integer: true },
    HERALD_RELAY_HTTP_HOST: { path: ["http_host"] },
    HERALD_RELAY_HTTP_TOKEN_FILE: { path: ["http_token_file"] },
    HERALD_RELAY_JOURNAL_FILE: { path: ["journal_file"] },
  },
  resolve(value, context): RelaySettings {
    const relay = value as Static<typeof relayConfigSchema>;
    return {
      inbound: relay.inbound ?? [],
      outbound: relay.outbound ?? [],
      httpPort: relay.http_port ?? defaultRelayPorts.http,
      httpHost: relay.http_host ?? "127.0.0.1",
      stateDir: context.stateDir,
      ...(relay.journal_file === undefined
        ? relay.replay_file === undefined
          ? {}
          : { journalFile: context.path("relay.replay_file", relay.replay_file) as string }
        : { journalFile: context.path("relay.journal_file", relay.journal_file) as string }),
      ...(relay.http_token_file === undefined
        ? {}
        : { httpTokenFile: context.path("relay.http_token_file", relay.http_token_file) as string }),
    };
  },
});
