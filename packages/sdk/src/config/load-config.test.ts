import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { describe, expect, it } from "vitest";
import { defineConfigSection } from "./config-section.js";
import { loadConfig } from "./load-config.js";

// A service's section, built here as a package would build its own.
const relaySection = defineConfigSection({
  key: "relay",
  schema: Type.Object(
    { http_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })), log: Type.Optional(Type.String()) },
    { additionalProperties: false },
  ),
  defaults: { http_port: 9942 },
  environment: { HERALD_RELAY_HTTP_PORT: { path: ["http_port"], integer: true } },
  resolve(value, context) {
    const table = value as { http_port: number; log?: string };
    if (table.http_port === 1) context.fail("relay.http_port", "port 1 is taken");
    return { httpPort: table.http_port, log: context.path("relay.log", table.log) };
  },
});

function configFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "herald-config-"));
  const file = join(dir, "herald.toml");
  writeFileSync(file, text);
  return { dir, file };
}

describe("loadConfig", () => {
  it("falls back to a local bus when there is no file", () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-empty-"));
    const config = loadConfig({ env: { XDG_CONFIG_HOME: dir }, cwd: dir });
    expect(config.relays).toEqual(["tcp://127.0.0.1:9940"]);
    expect(config.endpoints).toEqual({ local: ["tcp://127.0.0.1:9941"] });
    expect(config.origins.prefix).toBe("default");
    expect(config.file).toBeUndefined();
  });

  it("keeps state in state_dir, relative to the file, and the spool in it; else under $XDG_STATE_HOME/herald", () => {
    const { dir } = configFile('state_dir = "state"\n');
    expect(loadConfig({ cwd: dir, env: {} })).toMatchObject({
      stateDir: join(dir, "state"),
      spoolDir: join(dir, "state", "spool"),
    });
    const elsewhere = mkdtempSync(join(tmpdir(), "herald-xdg-"));
    expect(
      loadConfig({ cwd: elsewhere, env: { XDG_STATE_HOME: "/var/lib/x", XDG_CONFIG_HOME: elsewhere } }),
    ).toMatchObject({
      stateDir: "/var/lib/x/herald",
      spoolDir: "/var/lib/x/herald/spool",
    });
  });

  it("reads the file in the working directory, resolves its paths, and lets the environment override it", () => {
    const { dir, file } = configFile(
      'prefix = "io.acme"\nenvironment = "prod"\nkey_file = "keys/git.pem"\nkey_id = "git.host01"\n[endpoints]\nhub = ["tcp://hub:9941"]\n',
    );
    const config = loadConfig({ cwd: dir, env: { HERALD_ENVIRONMENT: "stg", HERALD_RELAYS: "tcp://a:1, tcp://b:2" } });
    expect(config).toMatchObject({
      prefix: "io.acme",
      environment: "stg",
      keyFile: join(dir, "keys/git.pem"),
      relays: ["tcp://a:1", "tcp://b:2"],
      endpoints: { hub: ["tcp://hub:9941"] },
      file,
    });
    expect(config.origins).toMatchObject({
      prefix: file,
      environment: "env HERALD_ENVIRONMENT",
      relays: "env HERALD_RELAYS",
    });
  });

  it("accepts the address forms ZeroMQ connects to", () => {
    const { dir } = configFile(
      'relays = ["tcp://relay1.example.org:9940", "tcp://[::1]:9940", "tcp://10.0.0.1:9940", "ipc:///run/herald/relay"]\n',
    );
    expect(loadConfig({ cwd: dir, env: {} }).relays).toHaveLength(4);
  });

  it("prefers HERALD_CONFIG over the default paths, and a flag over both", () => {
    const first = configFile('environment = "one"\n');
    const second = configFile('environment = "two"\n');
    expect(loadConfig({ cwd: first.dir, env: { HERALD_CONFIG: second.file } }).environment).toBe("two");
    expect(loadConfig({ cwd: first.dir, env: { HERALD_CONFIG: second.file }, file: first.file }).environment).toBe(
      "one",
    );
  });

  it.each([
    ['prefix = "Org.Example"', /herald\.toml: prefix: must be dot-separated topic tokens/],
    ["relays = 5", /herald\.toml: relays: expected array/],
    ['relays = ["relay1:9940"]', /herald\.toml: relays: "relay1:9940" is not an address like tcp:\/\/host:9940/],
    ['relays = ["tcp://relay1"]', /herald\.toml: relays: "tcp:\/\/relay1" is not an address/],
    ['[endpoints]\nprod = ["tcp://a:1 "]', /herald\.toml: endpoints\.prod: "tcp:\/\/a:1 " is not an address/],
    ['colour = "red"', /herald\.toml: colour: unknown key/],
    ["[relay]\nhttp_port = 70000", /herald\.toml: relay\.http_port: expected integer to be less or equal to 65535/],
    ['key_id = "Bad Id"\nkey_file = "k.pem"', /herald\.toml: key_id: must match/],
    ['key_id = "git.host01"', /herald\.toml: key_file: key_file and key_id go together/],
    [
      '[policy]\nallow_unsigned = ["org..x"]',
      /herald\.toml: policy\.allow_unsigned: "org\.\.x" is not a topic pattern/,
    ],
    ["prefix = ", /herald\.toml: not valid TOML/],
    ["[relay]\nhttp_port = 1", /herald\.toml: relay\.http_port: port 1 is taken/],
  ])("names the key and the file in the error for %s", (text, message) => {
    const { dir } = configFile(text);
    expect(() => loadConfig({ cwd: dir, env: {}, sections: [relaySection] })).toThrow(message);
  });

  it("adds each section's settings under its key, resolving its paths against the file", () => {
    const { dir, file } = configFile('[relay]\nlog = "logs/relay.log"\n');
    const config = loadConfig({ cwd: dir, env: { HERALD_RELAY_HTTP_PORT: "8000" }, sections: [relaySection] });
    expect(config.relay).toEqual({ httpPort: 8000, log: join(dir, "logs/relay.log") });
    expect(config.origins).toMatchObject({ "relay.log": file, "relay.http_port": "env HERALD_RELAY_HTTP_PORT" });
  });

  it("calls a service's key unknown when that service's section is not composed", () => {
    const { dir } = configFile("[relay]\nhttp_port = 1\n");
    expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(/herald\.toml: relay: unknown key/);
  });

  it("names the variable when an override is wrong", () => {
    const { dir } = configFile("");
    expect(() => loadConfig({ cwd: dir, env: { HERALD_RELAY_HTTP_PORT: "many" }, sections: [relaySection] })).toThrow(
      /env HERALD_RELAY_HTTP_PORT: expected a whole number/,
    );
    expect(() => loadConfig({ cwd: dir, env: { HERALD_ENVIRONMENT: "PROD" } })).toThrow(
      /env HERALD_ENVIRONMENT: environment:/,
    );
  });

  it("fails clearly when an explicit file is missing", () => {
    expect(() => loadConfig({ file: "/nonexistent/herald.toml", env: {} })).toThrow(
      "cannot read config file /nonexistent/herald.toml: ENOENT",
    );
  });
});
