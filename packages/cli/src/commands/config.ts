import type { HeraldConfig } from "@herald/sdk";
import { withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, colorsFor } from "../io.js";

/** `herald config`: the merged configuration and where each value came from. */
export async function runConfig(options: { json?: boolean; config?: string }, io: CommandIo): Promise<void> {
  // Printed to terminals, pasted into issues: passwords in URLs and secret values never appear.
  const config = redact(configFor(options, io)) as HeraldConfig;
  const rows = flatten(config);
  if (options.json) {
    const { origins, ...values } = config;
    io.stdout.write(`${JSON.stringify({ values, origins, file: config.file ?? null })}\n`);
    return;
  }
  const colors = colorsFor(io.stdout, io.env);
  const width = Math.max(...rows.map(([key]) => key.length));
  io.stdout.write(
    `${colors.dim(`# ${config.file === undefined ? "no configuration file found: defaults and environment" : config.file}`)}\n`,
  );
  for (const [key, value, origin] of rows) {
    io.stdout.write(`${key.padEnd(width)}  ${value}  ${colors.dim(`(${origin})`)}\n`);
  }
}

const keyNames: Record<string, string> = {
  keyFile: "key_file",
  keyId: "key_id",
  trustFile: "trust_file",
  relayTimeoutMs: "relay_timeout_ms",
  spoolDir: "spool_dir",
  stateDir: "state_dir",
  httpPort: "http_port",
  httpHost: "http_host",
  allowUnsigned: "allow_unsigned",
};

/** Rows of [key as written in herald.toml, JSON value, origin]. */
function flatten(config: HeraldConfig): [string, string, string][] {
  const rows: [string, string, string][] = [];
  const walk = (value: object, path: string[]) => {
    for (const [name, child] of Object.entries(value)) {
      const keyPath = [...path, keyNames[name] ?? name];
      const key = keyPath.join(".");
      if (typeof child === "object" && child !== null && !Array.isArray(child) && key !== "endpoints")
        walk(child, keyPath);
      else rows.push([key, JSON.stringify(child), config.origins[key] ?? "default"]);
    }
  };
  const { origins: _origins, file: _file, ...values } = config;
  walk(values, []);
  return rows;
}

const secretKey = /password|secret|^token$|_token$/i;

/**
 * A copy of a configuration value with every secret replaced by `***`: the password of a URL
 * (`amqp://herald:***@broker`, `postgres://…`, `smtp://…`) and any value of a key that names a
 * password, secret or token (a `…_file` key names where one is, which may be shown).
 */
export function redact(value: unknown, key = ""): unknown {
  if (typeof value === "string") {
    if (secretKey.test(key) && !/file$/i.test(key)) return "***";
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)) return value;
    try {
      const url = new URL(value);
      if (url.password === "") return value;
      url.password = "***";
      return url.toString().replace("%2A%2A%2A", "***");
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, key));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, redact(child, name)]));
  return value;
}

/** `herald config`: its arguments and flags, beside the function that runs it. */
export const configCommand = defineCommand({
  configure: (command) => withConfig(command.option("--json", "print as JSON")),
  action: (io) => (options) => runConfig(options, io),
});
