import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { Value } from "@sinclair/typebox/value";
import { parse as parseToml } from "smol-toml";
import { isValidKeyId } from "../envelope.js";
import { HeraldError } from "../errors.js";
import { readTextFile } from "../read-text-file.js";
import { isValidTopicToken } from "../topic.js";
import { isValidTopicPattern } from "../topic-pattern.js";
import {
  type BridgeConfig,
  type ConfigFile,
  configFileSchema,
  defaultConfigFile,
  environmentOverrides,
} from "./config-schema.js";
import type { HubConsumerConfig, IrcChannelConfig } from "./consumer-config-schema.js";

/** The merged configuration, with paths resolved against the file that named them. */
export interface HeraldConfig {
  prefix: string;
  environment: string;
  source?: string;
  keyFile?: string;
  keyId?: string;
  trustFile?: string;
  relays: string[];
  relayTimeoutMs: number;
  /** Where messages wait when no relay answers: `spool_dir`, default `$XDG_STATE_HOME/herald/spool`. */
  spoolDir: string;
  endpoints: Record<string, string[]>;
  relay: { inbound: string[]; outbound: string[]; httpPort: number; httpHost: string };
  /** Which transport the bus uses: `zeromq` (brokerless, the default) or `amqp` (RabbitMQ). */
  transport: "zeromq" | "amqp";
  /** RabbitMQ settings, used when `transport` is `amqp`. */
  amqp: { url: string; exchange: string; queue?: string; prefetch: number; deliveryLimit: number };
  /**
   * The message store: `db` (`sqlite:FILE`, default `$XDG_STATE_HOME/herald/store.sqlite`, or
   * `postgres://…`), its query API's port and host, the peers it recovers from, and `url`, the
   * query API the reading commands use.
   */
  store: { db: string; httpPort: number; httpHost: string; peers: string[]; url: string };
  /** `herald bridge`'s health and metrics port. */
  bridge: { httpPort: number; httpHost: string };
  /** What `herald bridge` connects the bus to. */
  bridges: BridgeConfig[];
  /** `herald hub`: its health and metrics port, the default limits, and the consumers it hosts. */
  hub: { httpPort: number; httpHost: string; limits: ConsumerLimits; consumers: HubConsumer[] };
  /** `herald irc`: the server (none until set), identity, rate limit, channels. */
  irc: {
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
  };
  /** `herald notifications`: preferences database (default: the store's), web page, e-mail. */
  notifications: {
    db: string;
    httpPort: number;
    httpHost: string;
    publicUrl: string;
    smtpUrl?: string;
    from: string;
    emailsPerHour: number;
  };
  policy: { allowUnsigned: string[] };
  /** The file read, if any. */
  file?: string;
  /** Where each key's value came from: `default`, the file's path, or `env HERALD_…`. */
  origins: Record<string, string>;
}

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
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** An explicit file (a `--config` flag): it must exist. */
  file?: string;
  /** The environment to read `HERALD_CONFIG` and overrides from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Where relative default paths start; default `process.cwd()`. */
  cwd?: string;
}

/**
 * The places searched for `herald.toml`, in order, when neither a flag nor `HERALD_CONFIG` names
 * one: the working directory, the user's config directory, then `/etc/herald`.
 */
export function defaultConfigPaths(env: Record<string, string | undefined>, cwd: string): string[] {
  const userDir = env.XDG_CONFIG_HOME ?? join(homedir(), ".config");
  return [join(cwd, "herald.toml"), join(userDir, "herald", "herald.toml"), "/etc/herald/herald.toml"];
}

/**
 * Loads the configuration: the file named by `options.file`, else by `HERALD_CONFIG`, else the
 * first of {@link defaultConfigPaths} that exists (none is fine: defaults apply); then the
 * `HERALD_*` environment overrides; then validation.
 * @throws HeraldError `E_CONFIG` naming the key and the file (or variable) that is wrong.
 */
export function loadConfig(options: LoadConfigOptions = {}): HeraldConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.file ?? env.HERALD_CONFIG;
  const file =
    named !== undefined ? resolve(cwd, named) : defaultConfigPaths(env, cwd).find((path) => existsSync(path));
  const fromFile = file === undefined ? {} : readConfigFile(file);
  const origins: Record<string, string> = {};
  const merged = structuredClone(defaultConfigFile) as ConfigFile & Record<string, unknown>;
  for (const path of leafPaths(defaultConfigFile)) origins[path.join(".")] = "default";
  for (const path of leafPaths(fromFile)) {
    setPath(merged, path, getPath(fromFile, path));
    origins[path.join(".")] = file as string;
  }
  applyEnvironment(merged, env, origins);
  const where = (key: string) => origins[key] ?? file ?? "configuration";
  check(merged, where);
  const base = (key: string) => (origins[key] === file && file !== undefined ? dirname(file) : cwd);
  const path = (key: string, value: string | undefined) =>
    value === undefined ? undefined : isAbsolute(value) ? value : resolve(base(key), value);
  const relay = merged.relay ?? {};
  const store = merged.store ?? {};
  const stateDir = join(env.XDG_STATE_HOME ?? join(homedir(), ".local", "state"), "herald");
  // A relative sqlite: path is relative to the file that names it, like every other path.
  const db = store.db?.startsWith("sqlite:") ? `sqlite:${path("store.db", store.db.slice(7))}` : store.db;
  const notifications = merged.notifications ?? {};
  const notificationsDb = notifications.db?.startsWith("sqlite:")
    ? `sqlite:${path("notifications.db", notifications.db.slice(7))}`
    : notifications.db;
  const config: HeraldConfig = {
    prefix: merged.prefix as string,
    environment: merged.environment as string,
    relays: merged.relays ?? [],
    relayTimeoutMs: merged.relay_timeout_ms ?? defaultConfigFile.relay_timeout_ms,
    spoolDir: path("spool_dir", merged.spool_dir) ?? join(stateDir, "spool"),
    endpoints: merged.endpoints ?? {},
    relay: {
      inbound: relay.inbound ?? [],
      outbound: relay.outbound ?? [],
      httpPort: relay.http_port ?? defaultConfigFile.relay.http_port,
      httpHost: relay.http_host ?? defaultConfigFile.relay.http_host,
    },
    transport: merged.transport ?? "zeromq",
    amqp: {
      url: merged.amqp?.url ?? defaultConfigFile.amqp.url,
      exchange: merged.amqp?.exchange ?? defaultConfigFile.amqp.exchange,
      prefetch: merged.amqp?.prefetch ?? defaultConfigFile.amqp.prefetch,
      deliveryLimit: merged.amqp?.delivery_limit ?? defaultConfigFile.amqp.delivery_limit,
      ...(merged.amqp?.queue === undefined ? {} : { queue: merged.amqp.queue }),
    },
    store: {
      db: db ?? `sqlite:${join(stateDir, "store.sqlite")}`,
      httpPort: store.http_port ?? defaultConfigFile.store.http_port,
      httpHost: store.http_host ?? defaultConfigFile.store.http_host,
      peers: store.peers ?? [],
      url: store.url ?? defaultConfigFile.store.url,
    },
    bridge: {
      httpPort: merged.bridge?.http_port ?? defaultConfigFile.bridge.http_port,
      httpHost: merged.bridge?.http_host ?? defaultConfigFile.bridge.http_host,
    },
    bridges: merged.bridges ?? [],
    hub: hubSettings(merged, path),
    irc: ircSettings(merged, path),
    notifications: {
      db: notificationsDb ?? db ?? `sqlite:${join(stateDir, "store.sqlite")}`,
      httpPort: notifications.http_port ?? defaultConfigFile.notifications.http_port,
      httpHost: notifications.http_host ?? defaultConfigFile.notifications.http_host,
      publicUrl:
        notifications.public_url ??
        `http://${notifications.http_host ?? defaultConfigFile.notifications.http_host}:${notifications.http_port ?? defaultConfigFile.notifications.http_port}`,
      from: notifications.from ?? defaultConfigFile.notifications.from,
      emailsPerHour: notifications.emails_per_hour ?? defaultConfigFile.notifications.emails_per_hour,
      ...(notifications.smtp_url === undefined ? {} : { smtpUrl: notifications.smtp_url }),
    },
    policy: { allowUnsigned: merged.policy?.allow_unsigned ?? [] },
    origins,
  };
  const optional = {
    source: merged.source,
    keyFile: path("key_file", merged.key_file),
    keyId: merged.key_id,
    trustFile: path("trust_file", merged.trust_file),
    file,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(config, { [key]: value });
  return config;
}

type PathResolver = (key: string, value: string | undefined) => string | undefined;

function limitsOf(table: NonNullable<ConfigFile["hub"]> | HubConsumerConfig, defaults: ConsumerLimits): ConsumerLimits {
  return {
    concurrency: table.concurrency ?? defaults.concurrency,
    timeoutMs: table.timeout_ms ?? defaults.timeoutMs,
    attempts: table.attempts ?? defaults.attempts,
    retryDelayMs: table.retry_delay_ms ?? defaults.retryDelayMs,
    isolateAfter: table.isolate_after ?? defaults.isolateAfter,
  };
}

function hubSettings(merged: ConfigFile, path: PathResolver): HeraldConfig["hub"] {
  const hub = merged.hub ?? {};
  const fallback = defaultConfigFile.hub;
  const limits = limitsOf(hub, {
    concurrency: fallback.concurrency,
    timeoutMs: fallback.timeout_ms,
    attempts: fallback.attempts,
    retryDelayMs: fallback.retry_delay_ms,
    isolateAfter: fallback.isolate_after,
  });
  return {
    httpPort: hub.http_port ?? fallback.http_port,
    httpHost: hub.http_host ?? fallback.http_host,
    limits,
    consumers: (hub.consumers ?? []).map((consumer) => ({
      // A path is relative to the file naming it; anything else is a package name for import().
      module: /^\.{0,2}\//.test(consumer.module) ? (path("hub.consumers", consumer.module) as string) : consumer.module,
      settings: consumer.settings ?? {},
      limits: limitsOf(consumer, limits),
    })),
  };
}

function ircSettings(merged: ConfigFile, path: PathResolver): HeraldConfig["irc"] {
  const irc = merged.irc ?? {};
  const fallback = defaultConfigFile.irc;
  const settings: HeraldConfig["irc"] = {
    port: irc.port ?? fallback.port,
    tls: irc.tls ?? fallback.tls,
    nick: irc.nick ?? fallback.nick,
    messagesPerSecond: irc.messages_per_second ?? fallback.messages_per_second,
    burst: irc.burst ?? fallback.burst,
    httpPort: irc.http_port ?? fallback.http_port,
    httpHost: irc.http_host ?? fallback.http_host,
    channels: irc.channels ?? [],
  };
  if (irc.server !== undefined) settings.server = irc.server;
  if (irc.sasl_account !== undefined) settings.saslAccount = irc.sasl_account;
  const passwordFile = path("irc.sasl_password_file", irc.sasl_password_file);
  if (passwordFile !== undefined) settings.saslPasswordFile = passwordFile;
  return settings;
}

function readConfigFile(file: string): ConfigFile {
  const text = readTextFile(file, "E_CONFIG", "config file");
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (cause) {
    const firstLine = ((cause as Error).message ?? "").split("\n")[0];
    throw new HeraldError("E_CONFIG", `${file}: not valid TOML: ${firstLine}`, { cause });
  }
  const error = Value.Errors(configFileSchema, value).First();
  if (error !== undefined) {
    const key = error.path.slice(1).replaceAll("/", ".") || "top level";
    const choices = (error.schema.anyOf as { const?: unknown }[] | undefined)?.map((choice) => choice.const);
    const message =
      error.message === "Unexpected property"
        ? "unknown key"
        : choices?.every((choice) => typeof choice === "string")
          ? `must be one of ${choices.join(", ")}`
          : error.message.toLowerCase();
    throw new HeraldError("E_CONFIG", `${file}: ${key}: ${message}`);
  }
  return value as ConfigFile;
}

function applyEnvironment(
  merged: Record<string, unknown>,
  env: Record<string, string | undefined>,
  origins: Record<string, string>,
) {
  const fail = (name: string, what: string): never => {
    throw new HeraldError("E_CONFIG", `env ${name}: ${what}`);
  };
  const overrides = Object.entries(environmentOverrides).map(([name, rule]) => [name, rule] as const);
  for (const name of Object.keys(env)) {
    if (name.startsWith("HERALD_ENDPOINTS_")) {
      overrides.push([name, { path: ["endpoints", name.slice(17).toLowerCase()], list: true }]);
    }
  }
  for (const [name, rule] of overrides) {
    const text = env[name];
    if (text === undefined || text === "") continue;
    let value: unknown = text;
    if (rule.list)
      value = text
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
    if (rule.integer) {
      value = Number(text);
      if (!Number.isInteger(value) || (value as number) < 0)
        fail(name, `expected a whole number, got ${JSON.stringify(text)}`);
    }
    setPath(merged, rule.path, value);
    origins[rule.path.join(".")] = `env ${name}`;
  }
}

function check(config: ConfigFile, where: (key: string) => string) {
  const fail = (key: string, what: string): never => {
    throw new HeraldError("E_CONFIG", `${where(key)}: ${key}: ${what}`);
  };
  if (!config.prefix?.split(".").every(isValidTopicToken))
    fail("prefix", "must be dot-separated topic tokens, e.g. org.example");
  if (!isValidTopicToken(config.environment ?? "")) fail("environment", "must be one topic token, e.g. prod");
  if (config.key_id !== undefined && !isValidKeyId(config.key_id))
    fail("key_id", "must match [a-z0-9][a-z0-9._-]{0,63}");
  if ((config.key_id === undefined) !== (config.key_file === undefined)) {
    fail(config.key_id === undefined ? "key_id" : "key_file", "key_file and key_id go together");
  }
  for (const [index, bridge] of (config.bridges ?? []).entries()) {
    for (const pattern of bridge.topics ?? []) {
      if (!isValidTopicPattern(pattern))
        fail(`bridges[${index}] (${bridge.name})`, `${JSON.stringify(pattern)} is not a topic pattern`);
    }
  }
  const names = (config.bridges ?? []).map((bridge) => bridge.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) fail("bridges", `two bridges are named ${repeated}`);
  for (const [index, channel] of (config.irc?.channels ?? []).entries()) {
    for (const pattern of channel.topics ?? []) {
      if (!isValidTopicPattern(pattern))
        fail(`irc.channels[${index}] (${channel.name})`, `${JSON.stringify(pattern)} is not a topic pattern`);
    }
  }
  for (const pattern of config.policy?.allow_unsigned ?? []) {
    if (!isValidTopicPattern(pattern))
      fail("policy.allow_unsigned", `${JSON.stringify(pattern)} is not a topic pattern`);
  }
}

function leafPaths(value: object, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === "object" &&
    child !== null &&
    !Array.isArray(child) &&
    !(prefix.length === 0 && key === "endpoints")
      ? leafPaths(child, [...prefix, key])
      : [[...prefix, key]],
  );
}

function getPath(value: object, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], value);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}
