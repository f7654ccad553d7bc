import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { type TObject, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { parse as parseToml } from "smol-toml";
import { isValidKeyId } from "../envelope.js";
import { HeraldError } from "../errors.js";
import { readTextFile } from "../read-text-file.js";
import { isValidTopicToken } from "../topic.js";
import { isValidTopicPattern } from "../topic-pattern.js";
import { type ConfigFile, configFileSchema, defaultConfigFile, environmentOverrides } from "./config-schema.js";
import type { ConfigSection, EnvironmentOverride, SectionContext, SettingsOf } from "./config-section.js";

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
  /** The largest frame a ZeroMQ socket accepts (`max_message_bytes`, default 1 MiB). */
  maxMessageBytes: number;
  /** Where messages wait when no relay answers: `spool_dir`, default `<stateDir>/spool`. */
  spoolDir: string;
  /**
   * Where the commands keep their state unless a key of their own says otherwise (the spool, the
   * relay's journal, the store's database, schema caches): `state_dir` (relative to the file), default
   * `$XDG_STATE_HOME/herald`.
   */
  stateDir: string;
  endpoints: Record<string, string[]>;
  /** Which transport the bus uses: `zeromq` (brokerless, the default) or `amqp` (RabbitMQ). */
  transport: "zeromq" | "amqp";
  /** RabbitMQ settings, used when `transport` is `amqp`. */
  amqp: {
    /** The broker, or the first node of a cluster. */
    url: string;
    /** Every node of a cluster (`urls`), `[url]` for one broker: a connection fails over between them. */
    urls: string[];
    exchange: string;
    queue?: string;
    prefetch: number;
    deliveryLimit: number;
  };
  policy: { allowUnsigned: string[]; canonicalOnly: string[] };
  /** The file read, if any. */
  file?: string;
  /** Where each key's value came from: `default`, the file's path, or `env HERALD_…`. */
  origins: Record<string, string>;
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

/** Options of {@link loadConfig} with the sections of the services that read the file. */
export interface LoadConfigWithSections<Sections extends readonly ConfigSection[]> extends LoadConfigOptions {
  /** Keys services own (`storeConfigSection`, …): each is checked, defaulted and resolved by its section. */
  sections: Sections;
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
 * `HERALD_*` environment overrides; then validation. With `sections`, the keys those services own
 * are read too and their settings added under their keys; without, such a key is unknown.
 * @throws HeraldError `E_CONFIG` naming the key and the file (or variable) that is wrong.
 */
export function loadConfig(options?: LoadConfigOptions): HeraldConfig;
export function loadConfig<const Sections extends readonly ConfigSection[]>(
  options: LoadConfigWithSections<Sections>,
): HeraldConfig & SettingsOf<Sections>;
export function loadConfig(
  options: LoadConfigOptions & { sections?: readonly ConfigSection[] } = {},
): HeraldConfig & Record<string, unknown> {
  const sections = options.sections ?? [];
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.file ?? env.HERALD_CONFIG;
  const file =
    named !== undefined ? resolve(cwd, named) : defaultConfigPaths(env, cwd).find((path) => existsSync(path));
  const fromFile = file === undefined ? {} : readConfigFile(file, fileSchema(sections));
  const origins: Record<string, string> = {};
  const defaults: Record<string, unknown> = structuredClone(defaultConfigFile);
  for (const section of sections) if (section.defaults !== undefined) defaults[section.key] = section.defaults;
  const merged = structuredClone(defaults) as ConfigFile & Record<string, unknown>;
  for (const path of leafPaths(defaults)) origins[path.join(".")] = "default";
  for (const path of leafPaths(fromFile)) {
    setPath(merged, path, getPath(fromFile, path));
    origins[path.join(".")] = file as string;
  }
  applyEnvironment(merged, env, origins, overridesOf(sections));
  const where = (key: string) => origins[key] ?? file ?? "configuration";
  check(merged, where);
  const base = (key: string) => (origins[key] === file && file !== undefined ? dirname(file) : cwd);
  const path = (key: string, value: string | undefined) =>
    value === undefined ? undefined : isAbsolute(value) ? value : resolve(base(key), value);
  const stateDir =
    path("state_dir", merged.state_dir) ?? join(env.XDG_STATE_HOME ?? join(homedir(), ".local", "state"), "herald");
  const context: SectionContext = {
    path,
    // A relative sqlite: path is relative to the file that names it, like every other path.
    database: (key, value) => (value?.startsWith("sqlite:") ? `sqlite:${path(key, value.slice(7))}` : value),
    merged,
    stateDir,
    fail(key, what) {
      throw new HeraldError("E_CONFIG", `${where(key.replace(/\[\d+\].*$/, ""))}: ${key}: ${what}`);
    },
  };
  const config: HeraldConfig & Record<string, unknown> = {
    prefix: merged.prefix as string,
    environment: merged.environment as string,
    relays: merged.relays ?? [],
    relayTimeoutMs: merged.relay_timeout_ms ?? defaultConfigFile.relay_timeout_ms,
    maxMessageBytes: merged.max_message_bytes ?? defaultConfigFile.max_message_bytes,
    spoolDir: path("spool_dir", merged.spool_dir) ?? join(stateDir, "spool"),
    stateDir,
    endpoints: merged.endpoints ?? {},
    transport: merged.transport ?? "zeromq",
    amqp: {
      url: merged.amqp?.urls?.[0] ?? merged.amqp?.url ?? defaultConfigFile.amqp.url,
      urls: merged.amqp?.urls ?? [merged.amqp?.url ?? defaultConfigFile.amqp.url],
      exchange: merged.amqp?.exchange ?? defaultConfigFile.amqp.exchange,
      prefetch: merged.amqp?.prefetch ?? defaultConfigFile.amqp.prefetch,
      deliveryLimit: merged.amqp?.delivery_limit ?? defaultConfigFile.amqp.delivery_limit,
      ...(merged.amqp?.queue === undefined ? {} : { queue: merged.amqp.queue }),
    },
    policy: {
      allowUnsigned: merged.policy?.allow_unsigned ?? [],
      canonicalOnly: merged.policy?.canonical_only ?? [],
    },
    origins,
  };
  for (const section of sections) config[section.key] = section.resolve(merged[section.key], context);
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

/** The core keys' schema with each section's key added. */
function fileSchema(sections: readonly ConfigSection[]): TObject {
  if (sections.length === 0) return configFileSchema;
  return Type.Object(
    {
      ...configFileSchema.properties,
      ...Object.fromEntries(sections.map((section) => [section.key, Type.Optional(section.schema)])),
    },
    { additionalProperties: false },
  );
}

/** The core's `HERALD_*` overrides and every section's, with the section's key before their paths. */
function overridesOf(sections: readonly ConfigSection[]): Record<string, EnvironmentOverride> {
  const overrides: Record<string, EnvironmentOverride> = { ...environmentOverrides };
  for (const section of sections)
    for (const [name, rule] of Object.entries(section.environment ?? {}))
      overrides[name] = { ...rule, path: [section.key, ...rule.path] };
  return overrides;
}

function readConfigFile(file: string, schema: TObject): ConfigFile {
  const text = readTextFile(file, "E_CONFIG", "config file");
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (cause) {
    const firstLine = ((cause as Error).message ?? "").split("\n")[0];
    throw new HeraldError("E_CONFIG", `${file}: not valid TOML: ${firstLine}`, { cause });
  }
  const error = Value.Errors(schema, value).First();
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
  rules: Record<string, EnvironmentOverride>,
) {
  const fail = (name: string, what: string): never => {
    throw new HeraldError("E_CONFIG", `env ${name}: ${what}`);
  };
  const overrides = Object.entries(rules).map(([name, rule]) => [name, rule] as const);
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
  // A mistyped address would otherwise surface only when a publisher gives up on it, as a refusal.
  for (const address of config.relays ?? []) {
    if (!isZeroMqAddress(address)) fail("relays", `${JSON.stringify(address)} is not an address like tcp://host:9940`);
  }
  for (const [name, list] of Object.entries(config.endpoints ?? {})) {
    for (const address of list) {
      if (!isZeroMqAddress(address))
        fail(`endpoints.${name}`, `${JSON.stringify(address)} is not an address like tcp://host:9941`);
    }
  }
  for (const pattern of config.policy?.allow_unsigned ?? []) {
    if (!isValidTopicPattern(pattern))
      fail("policy.allow_unsigned", `${JSON.stringify(pattern)} is not a topic pattern`);
  }
}

/** `tcp://host:port` (a name, IPv4, `[IPv6]` or `*`), or ZeroMQ's `ipc://path` and `inproc://name`. */
function isZeroMqAddress(address: string): boolean {
  return /^tcp:\/\/(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(address) || /^(ipc|inproc):\/\/\S+$/.test(address);
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
