import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./_test-io.js";
import { createProgram } from "./cli.js";
import { commandRegistry } from "./command-registry.js";

// The CLI's usage and error behaviour, run in this process through main(argv, io): no process is
// started, so the quick suite (HERALD_QUICK=1) runs these too.
const freshDir = () => mkdtempSync(join(tmpdir(), "herald-cli-"));

describe("herald's usage", () => {
  it("answers --help for every registered command, loading only that command", async () => {
    // Every command the program registers, however deep: a new command cannot be forgotten here.
    const leaves = (command: Command, path: string[]): string[][] =>
      command.commands.length === 0
        ? [path]
        : command.commands.flatMap((child) => leaves(child, [...path, child.name()]));
    const commands = leaves(await createProgram(), []);
    expect(commands.length).toBeGreaterThan(35);
    expect(commands.length).toBe(commandRegistry.filter((entry) => entry.load !== undefined).length - 1);
    for (const command of commands) {
      const result = await runInProcess([...command, "--help"]);
      expect([command.join(" "), result.code, result.stdout.split("\n")[0]]).toEqual([
        command.join(" "),
        0,
        expect.stringMatching(new RegExp(`^Usage: herald ${command.join(" ")} `)),
      ]);
    }
  });

  it("gives every runnable command a definition, and the registry names each once", async () => {
    const paths = commandRegistry.map((entry) => entry.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const entry of commandRegistry) {
      if (entry.load === undefined) continue;
      const definition = await entry.load();
      expect([entry.path, typeof definition.configure, typeof definition.action]).toEqual([
        entry.path,
        "function",
        "function",
      ]);
    }
  });

  it.each([
    [["nope"], "error: unknown command 'nope'"],
    [["publish"], "error: required option '--topic <topic>' not specified"],
    [["relay", "--http", "abc"], 'herald: expected a port from 0 to 65535, got "abc"'],
    [["tail", "--count", "0"], 'herald: expected a positive whole number, got "0"'],
    [["schema", "show"], "error: missing required argument 'name[@version]'"],
  ])("refuses %j in one line with exit code 2", async (argv, line) => {
    const result = await runInProcess(argv);
    expect([result.code, result.stdout, result.stderr.split("\n")[0]]).toEqual([2, "", line]);
  });

  it("prints its version", async () => {
    expect(await runInProcess(["--version"])).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" });
  });
});

describe("herald's error lines", () => {
  it("never prints a password of the configuration", async () => {
    const dir = freshDir();
    writeFileSync(
      join(dir, "herald.toml"),
      [
        "[amqp]",
        'url = "amqp://herald:s3cret-amqp@broker:5672"',
        "[store]",
        'db = "postgres://archive:s3cret-pg@db/herald"',
        "[notifications]",
        'smtp_url = "smtp://mailer:s3cret-smtp@mail:25"',
        "",
      ].join("\n"),
    );
    for (const argv of [["config"], ["config", "--json"]]) {
      const result = await runInProcess(argv, { cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/s3cret/);
      expect(result.stdout).toContain("amqp://herald:***@broker:5672");
    }
  });

  it("names the file and key of a configuration mistake, exit 2 (it could not run), no stack trace", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "herald.toml"), '[relay]\nhttp_port = "x"\n');
    const result = await runInProcess(["config"], { cwd: dir });
    expect([result.code, result.stderr]).toEqual([
      2,
      `herald: ${join(dir, "herald.toml")}: relay.http_port: expected integer\n`,
    ]);
  });

  it("says a missing trust file is missing", async () => {
    const dir = freshDir();
    const result = await runInProcess(["verify", "--trust", join(dir, "nope.json")], { input: "{}\n" });
    expect([result.code, result.stderr]).toEqual([
      2,
      `herald: cannot read trust file ${join(dir, "nope.json")}: ENOENT\n`,
    ]);
  });

  it("says a missing input file is missing", async () => {
    const dir = freshDir();
    const result = await runInProcess(["validate", join(dir, "nope.ndjson")]);
    expect([result.code, result.stderr]).toEqual([2, `herald: cannot read ${join(dir, "nope.ndjson")}: ENOENT\n`]);
  });

  it("refuses to install the wiki extension when the relay has no token to give it", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "herald.toml"), "");
    writeFileSync(join(dir, "LocalSettings.php"), "<?php\n");
    const result = await runInProcess(["integrations", "install", "mediawiki", "LocalSettings.php"], { cwd: dir });
    expect([result.code, result.stderr.split("\n").length]).toEqual([2, 2]);
    expect(result.stderr).toMatch(/^herald: the wiki needs the relay's token: set http_token_file in \[relay\]/);
    expect(readFileSync(join(dir, "LocalSettings.php"), "utf8")).toBe("<?php\n");
  });

  it("refuses a relay token too short to be one", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "token"), "secret\n");
    writeFileSync(join(dir, "herald.toml"), '[relay]\nhttp_token_file = "token"\n');
    const result = await runInProcess(["relay", "--insecure", "--no-http"], { cwd: dir });
    expect([result.code, result.stderr]).toEqual([
      2,
      `herald: relay token file ${join(dir, "token")}: the token must have at least 16 characters\n`,
    ]);
  });

  it.each([["query"], ["stats"], ["replay"]])(
    "says --from of %s must be a URL, exit 2, no stack trace",
    async (command) => {
      const result = await runInProcess([command, "--from", "localhost:9950"]);
      expect([result.code, result.stderr]).toEqual([
        2,
        `herald: --from: expected the store's http:// or https:// URL, e.g. http://localhost:9950, got "localhost:9950"\n`,
      ]);
    },
  );

  it("says when a receiving command has nothing to connect to", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "herald.toml"), "[endpoints]\n");
    const result = await runInProcess(["tail", "--insecure"], { cwd: dir });
    expect([result.code, result.stderr]).toEqual([
      2,
      "herald: nothing to connect to: pass --connect ADDRESS or set endpoints\n",
    ]);
  });

  it.each([
    [["bridge"], "herald: no bridges configured: add [[bridges]] to herald.toml (see docs/bridges.md)"],
    [["hub"], "herald: no consumers configured: add [[hub.consumers]] to herald.toml (see docs/hub.md)"],
  ])("says what a service needs configured: %j", async (argv, line) => {
    const result = await runInProcess([...argv, "--insecure"]);
    expect([result.code, result.stderr]).toEqual([2, `${line}\n`]);
  });

  it.each([[["tail"]], [["trigger", "--", "true"]], [["gateway"]]])(
    "refuses a --topic that is not a pattern, in one line naming the token, exit 2: %j",
    async (argv) => {
      const result = await runInProcess([
        ...argv.slice(0, 1),
        "--topic",
        "git.bad topic!",
        "--insecure",
        ...argv.slice(1),
      ]);
      expect([result.code, result.stderr]).toEqual([
        2,
        'herald: --topic: invalid topic pattern "git.bad topic!": token "bad topic!" is not [a-z0-9][a-z0-9_-]*, * or #\n',
      ]);
    },
  );

  it("ends with one line, exit 2, when the store's database folder cannot be made (under /proc, Node's own mkdir -p never returns)", async () => {
    const result = await runInProcess(["store", "--insecure", "--db", "/proc/herald-no-such/store.sqlite"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^herald: .*\/proc\/herald-no-such\/store\.sqlite.*ENOENT/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    [
      ["keygen", "git.pkgs01", "--dir", "/proc/herald-no-such"],
      "cannot mkdir /proc/herald-no-such: no such file or directory (ENOENT)",
    ],
    [["keygen", "git.pkgs01", "--dir", "<a file>"], "cannot mkdir <a file>: file already exists (EEXIST)"],
    [
      ["docs", "build", "--out", "/proc/herald-no-such"],
      "cannot mkdir /proc/herald-no-such: no such file or directory (ENOENT)",
    ],
  ])(
    "says in one line, exit 2, that a path it was given cannot be used, wherever that surfaces: %j",
    async (argv, line) => {
      const file = join(mkdtempSync(join(tmpdir(), "herald-cli-")), "a-file");
      writeFileSync(file, "");
      const result = await runInProcess(argv.map((arg) => arg.replace("<a file>", file)));
      expect([result.code, result.stderr]).toEqual([2, `herald: ${line.replace("<a file>", file)}\n`]);
    },
  );

  it("exports from a store that is there, and never creates an empty one for a mistyped path (exit 2)", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "herald-cli-")), "typo.sqlite");
    const result = await runInProcess(["store", "export", "--db", missing]);
    expect([result.code, result.stderr]).toEqual([
      2,
      `herald: ${missing}: cannot open the message store: no such file (ENOENT)\n`,
    ]);
    expect(existsSync(missing)).toBe(false);
  });

  it("calls a schema folder that is not there an I/O mistake (exit 2), not a finding", async () => {
    const result = await runInProcess(["codegen", "--schemas", "/nonexistent-herald", "--out", "types.ts"]);
    expect([result.code, result.stderr]).toEqual([
      2,
      "herald: cannot read schema folder /nonexistent-herald: ENOENT\n",
    ]);
  });

  it("refuses to publish data that is not a JSON object before sending anything", async () => {
    const result = await runInProcess([
      "publish",
      "--topic",
      "logger.log",
      "--data",
      "[1]",
      "--relay",
      "tcp://127.0.0.1:1",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
