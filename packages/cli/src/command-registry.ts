import type { CommandDefinition } from "./define-command.js";

/**
 * One entry of `herald`'s command list: where it sits (`schema list`), what it does, and where its
 * definition is. A group (`schema`) has no `load`; a command may be both (`store`).
 */
export interface CommandEntry {
  readonly path: string;
  readonly description: string;
  /** The command's flags come before its subcommand's, which keep their own (`store --db … export`). */
  readonly positionalOptions?: boolean;
  /** Imports the command's file, only when that command runs (a git hook does not load the relay). */
  readonly load?: () => Promise<CommandDefinition>;
}

/** Every command of `herald`, in the order `herald --help` lists them. */
export const commandRegistry: readonly CommandEntry[] = [
  {
    path: "keygen",
    description: "Create an Ed25519 key pair: writes DIR/<keyid>.pem and prints the public key and a trust-file entry.",
    load: async () => (await import("./commands/keygen.js")).keygenCommand,
  },
  {
    path: "sign",
    description: "Sign envelopes: NDJSON envelopes on stdin, signed NDJSON on stdout.",
    load: async () => (await import("./commands/sign.js")).signCommand,
  },
  {
    path: "verify",
    description:
      "Verify envelopes: NDJSON on stdin, one outcome word per line on stdout; exit 0 only if all are valid.",
    load: async () => (await import("./commands/verify.js")).verifyCommand,
  },
  {
    path: "publish",
    description: "Publish one message through a relay; exits 0 only once a relay acknowledged it.",
    load: async () => (await import("./commands/publish.js")).publishCommand,
  },
  {
    path: "tail",
    description: "Print messages from the bus as they arrive, verified against a trust file.",
    load: async () => (await import("./commands/tail.js")).tailCommand,
  },
  {
    path: "relay",
    description: "Run a relay: take messages from short-lived publishers, check them, republish them, acknowledge.",
    load: async () => (await import("./commands/relay.js")).relayCommand,
  },
  {
    path: "bridge",
    description: "Run the configured [[bridges]]: Herald on RabbitMQ, fedmsg, fedora-messaging, foreign AMQP brokers.",
    load: async () => (await import("./commands/bridge.js")).bridgeCommand,
  },
  { path: "schema", description: "Browse, compare and check topic schemas." },
  {
    path: "schema list",
    description: "List every schema of the built-in registry with its versions.",
    load: async () => (await import("./commands/schema/list.js")).schemaListCommand,
  },
  {
    path: "schema show",
    description: "Print the JSON Schema of a schema version (default: the newest).",
    load: async () => (await import("./commands/schema/show.js")).schemaShowCommand,
  },
  {
    path: "schema diff",
    description:
      "List the changes between two JSON Schemas; exit 0 if a minor version may make them, 1 if they need a new major.",
    load: async () => (await import("./commands/schema/diff.js")).schemaDiffCommand,
  },
  {
    path: "schema check",
    description: "Check the registry: minor versions compatible, generated files current, released versions unchanged.",
    load: async () => (await import("./commands/schema/check.js")).schemaCheckCommand,
  },
  {
    path: "schema init",
    description: "Write a schema package for an app's own topics: TypeBox sources, JSON build, types, tests, CI check.",
    load: async () => (await import("./commands/schema/init.js")).schemaInitCommand,
  },
  {
    path: "schema publish",
    description:
      "Register a folder's schema versions with a registry service, signed; refused edits and breaks say why.",
    load: async () => (await import("./commands/schema/publish.js")).schemaPublishCommand,
  },
  {
    path: "registry",
    description:
      "Run a schema registry: serve every registered version over HTTP and admit new ones by the versioning policy.",
    load: async () => (await import("./commands/registry.js")).registryCommand,
  },
  {
    path: "validate",
    description: "Validate envelopes (NDJSON) against their dataschema: ok or invalid <json path> <reason> per line.",
    load: async () => (await import("./commands/validate.js")).validateCommand,
  },
  {
    path: "codegen",
    description: "Generate TypeScript types and a TopicMap from JSON Schema files.",
    load: async () => (await import("./commands/codegen.js")).codegenCommand,
  },
  { path: "integrations", description: "Put applications on the bus." },
  {
    path: "integrations install",
    description:
      "Install an integration: `git <repo.git>` installs the post-receive hook (chaining any hook already there).",
    load: async () => (await import("./commands/integrations-install.js")).integrationsInstallCommand,
  },
  {
    path: "integrations serve",
    description:
      "Serve a receiver: `buildbot` takes Buildbot's HttpStatusPush reports and publishes buildsys messages.",
    load: async () => (await import("./commands/integrations-serve.js")).integrationsServeCommand,
  },
  {
    path: "git-hook",
    description:
      "Run a git hook's publishing (what installed hooks call): post-receive reads the pushed refs on stdin.",
    load: async () => (await import("./commands/git-hook.js")).gitHookCommand,
  },
  {
    path: "build",
    description:
      "Run a build command and announce buildsys.build.start and buildsys.build.complete; exits with its exit code.",
    load: async () => (await import("./commands/build.js")).buildCommand,
  },
  { path: "mirror", description: "Triggered mirroring.", positionalOptions: true },
  {
    path: "mirror agent",
    description:
      "Wait for the bus to say a tree changed, then sync the changed paths (tier1: from the master; tier2: from its tier-1).",
    load: async () => (await import("./commands/mirror-agent.js")).mirrorAgentCommand,
  },
  { path: "spool", description: "Messages that waited for a relay." },
  {
    path: "spool flush",
    description: "Deliver queued messages through a relay, oldest first; exit 0 once the spool is empty.",
    load: async () => (await import("./commands/spool.js")).spoolFlushCommand,
  },
  {
    path: "spool list",
    description: "List queued messages.",
    load: async () => (await import("./commands/spool.js")).spoolListCommand,
  },
  {
    path: "config",
    description: "Print the merged configuration and where each value came from.",
    load: async () => (await import("./commands/config.js")).configCommand,
  },
  {
    path: "hub",
    description: "Host the configured [[hub.consumers]]: retries, timeouts, isolation, /healthz and /metrics.",
    load: async () => (await import("./commands/hub.js")).hubCommand,
  },
  {
    path: "trigger",
    description:
      "Run a command for each matching message, the envelope on its stdin and HERALD_* in its environment (no shell).",
    load: async () => (await import("./commands/trigger.js")).triggerCommand,
  },
  {
    path: "irc",
    description: "Post each matching message's summary line to the [irc] server's channels (docs/irc.md).",
    load: async () => (await import("./commands/irc.js")).ircCommand,
  },
  {
    path: "notifications",
    description:
      "Notify people by their rules: e-mail (digests, hourly cap) and IRC, with the preferences page (docs/notifications.md).",
    load: async () => (await import("./commands/notifications.js")).notificationsCommand,
  },
  {
    path: "notify",
    description: "Desktop notifications here, for a user's desktop rules or for --topic / --about.",
    load: async () => (await import("./commands/notify.js")).notifyCommand,
  },
  { path: "prefs", description: "Edit people's notification rules and addresses." },
  {
    path: "prefs show",
    description: "Print a user's addresses and rules.",
    load: async () => (await import("./commands/prefs.js")).prefsShowCommand,
  },
  {
    path: "prefs contact",
    description: "Set where a user is reached.",
    load: async () => (await import("./commands/prefs.js")).prefsContactCommand,
  },
  {
    path: "prefs add",
    description: "Add a rule: every condition given must hold.",
    load: async () => (await import("./commands/prefs.js")).prefsAddCommand,
  },
  {
    path: "prefs remove",
    description: "Remove one of a user's rules.",
    load: async () => (await import("./commands/prefs.js")).prefsRemoveCommand,
  },
  {
    path: "prefs link",
    description: "Print the address of a user's preferences page (whoever has it may edit their rules).",
    load: async () => (await import("./commands/prefs.js")).prefsLinkCommand,
  },
  { path: "consumer", description: "Work on consumer modules for herald hub." },
  {
    path: "consumer check",
    description: "Run a consumer module against the hosting policy (docs/hub.md); exit 1 if it breaks a rule.",
    load: async () => (await import("./commands/consumer-check.js")).consumerCheckCommand,
  },
  {
    path: "store",
    description: "Archive every message of the bus and serve the query API (datagrepper's parameters).",
    positionalOptions: true,
    load: async () => (await import("./commands/store.js")).storeCommand,
  },
  {
    path: "store export",
    description: "Write stored messages as NDJSON, oldest first, exactly as stored.",
    load: async () => (await import("./commands/store-export.js")).storeExportCommand,
  },
  {
    path: "store import",
    description: "Verify and store messages from NDJSON files (or standard input), or from another store.",
    load: async () => (await import("./commands/store-import.js")).storeImportCommand,
  },
  {
    path: "query",
    description: "Search stored messages: a table on a terminal, NDJSON with --json.",
    load: async () => (await import("./commands/query.js")).queryCommand,
  },
  {
    path: "stats",
    description: "Count stored messages per topic (or app, user) with a sparkline over time.",
    load: async () => (await import("./commands/stats.js")).statsCommand,
  },
  {
    path: "replay",
    description: "Re-publish stored messages unchanged through a relay, oldest first (they still verify).",
    load: async () => (await import("./commands/replay.js")).replayCommand,
  },
  {
    path: "gateway",
    description: "Stream verified messages to browsers over WebSocket, with the live monitor and the docs site.",
    load: async () => (await import("./commands/gateway.js")).gatewayCommand,
  },
  { path: "docs", description: "The topic documentation site, generated from the registry." },
  {
    path: "docs build",
    description: "Generate the static site (a page per topic, search, asyncapi.json) and check its links.",
    load: async () => (await import("./commands/docs/build.js")).docsBuildCommand,
  },
  {
    path: "docs serve",
    description: "Serve a built site on this machine.",
    load: async () => (await import("./commands/docs/serve.js")).docsServeCommand,
  },
];
