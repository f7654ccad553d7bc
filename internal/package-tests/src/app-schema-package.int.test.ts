import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  appAvailable,
  freePort,
  listenOnIrc,
  type RunningProcess,
  relaySubscribers,
  repoRoot,
  runNode,
  startNgircd,
  startNode,
  tcpAddress,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { installTarballs, packWorkspaces, workspacePackages } from "./pack-install.js";

// The Must show of an open registry, as an adopter lives it: a schema package made with
// `herald schema init` outside this repository, packed, and installed next to @herald/cli in a
// second project, where every part knows its topic without a flag.

const require = createRequire(import.meta.url);
const repoHerald = join(repoRoot, "packages", "cli", "bin", "herald.js");
const typebox = join(dirname(require.resolve("@sinclair/typebox")), "..", "..");
const tsc = require.resolve("typescript/bin/tsc");

/** @herald/cli and every workspace package it depends on, as npm would install them from a registry. */
function cliClosure(): string[] {
  const dirs = workspacePackages();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !dirs.has(name)) return;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(join(dirs.get(name) as string, "package.json"), "utf8"));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency);
  };
  visit("@herald/cli");
  return [...seen];
}

const running: RunningProcess[] = [];
const closers: (() => unknown)[] = [];
afterAll(async () => {
  await Promise.all(running.map((process) => process.stop("SIGKILL")));
  for (const close of closers) await close();
});

describe("an app's schema package, made by herald schema init and installed beside @herald/cli", () => {
  // The schema package: scaffolded, built as its README says, packed.
  const work = mkdtempSync(join(tmpdir(), "herald-app-"));
  execFileSync(process.execPath, [repoHerald, "schema", "init", "shop"], { cwd: work });
  const scaffold = join(work, "shop-schemas");
  mkdirSync(join(scaffold, "node_modules", "@sinclair"), { recursive: true });
  symlinkSync(typebox, join(scaffold, "node_modules", "@sinclair", "typebox"));
  execFileSync(process.execPath, ["scripts/build-json.js"], { cwd: scaffold });
  execFileSync(process.execPath, [repoHerald, "codegen", "--schemas", "json", "--out", "types/index.d.ts"], {
    cwd: scaffold,
  });
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], {
      cwd: scaffold,
      encoding: "utf8",
    }),
  ) as [{ filename: string }];
  const project = installTarballs([...packWorkspaces(cliClosure()).values(), join(work, packed[0].filename)]);
  const herald = join(project, "node_modules", "@herald", "cli", "bin", "herald.js");
  const run = (args: string[]) =>
    runNode(herald, args, { cwd: project, env: { HERALD_CONFIG: join(project, "herald.toml") } });
  const start = (args: string[]) => {
    const process = startNode(herald, args, { cwd: project, env: { HERALD_CONFIG: join(project, "herald.toml") } });
    running.push(process);
    return process;
  };
  const data = JSON.stringify({ item: "A1", username: "alice" });

  it("is validated by herald publish with no flag", async () => {
    writeFileSync(join(project, "herald.toml"), 'relays = ["tcp://127.0.0.1:1"]\nrelay_timeout_ms = 200\n');
    const bad = await run(["publish", "--topic", "shop.item.created", "--data", '{"item":"A1"}']);
    expect([bad.code, bad.stderr]).toEqual([
      1,
      "herald: data does not match herald:shop.item.created/1.0: $.username must have required property 'username'\n",
    ]);
  });

  it.skipIf(!appAvailable("ngircd"))(
    "is presented by herald tail, the live monitor's gateway and the IRC bot, and indexed by the store, which answers --user for it",
    async () => {
      writeFileSync(join(project, "herald.toml"), "");
      const keygen = await run(["keygen", "shop.web01", "--dir", project, "--trust", join(project, "trust.json")]);
      expect([keygen.code, keygen.stderr]).toEqual([0, ""]);
      const [inbound, outbound, api, web] = [
        await tcpAddress(),
        await tcpAddress(),
        await freePort(),
        await freePort(),
      ];
      const irc = await startNgircd();
      closers.push(() => irc.stop());
      writeFileSync(
        join(project, "herald.toml"),
        [
          'key_file = "shop.web01.pem"',
          'key_id = "shop.web01"',
          'trust_file = "trust.json"',
          `relays = ["${inbound}"]`,
          "[store]",
          'db = "sqlite:store.sqlite"',
          `url = "http://127.0.0.1:${api}"`,
          "[irc]",
          'server = "127.0.0.1"',
          `port = ${irc.port}`,
          "tls = false",
          'nick = "shopbot"',
          "[[irc.channels]]",
          'name = "#shop"',
          'apps = ["shop"]',
          "",
        ].join("\n"),
      );
      const relay = start(["relay", "--inbound", inbound, "--outbound", outbound, "--http", "0"]);
      await relay.waitFor(/ready/);
      const store = start(["store", "--connect", outbound, "--http", String(api)]);
      const tail = start(["tail", "--connect", outbound, "--count", "1"]);
      const gateway = start(["gateway", "--connect", outbound, "--http", String(web)]);
      const bot = start(["irc", "--connect", outbound, "--no-http"]);
      const channel = await listenOnIrc(irc.port, "reader", "#shop");
      closers.push(() => channel.close());
      await Promise.all([store.waitFor(/ready/), gateway.waitFor(/ready/), bot.waitFor(/ready/)]);
      const monitor = new WebSocket(`ws://127.0.0.1:${web}/stream`);
      closers.push(() => monitor.close());
      const streamed: { event: string; summary: string }[] = [];
      monitor.on("message", (frame) => {
        const parsed = JSON.parse(String(frame)) as { type: string; items?: { event: string; summary: string }[] };
        if (parsed.type === "messages") streamed.push(...(parsed.items ?? []));
      });
      await new Promise((resolve, reject) => monitor.once("open", resolve).once("error", reject));
      // The store, the tail, the gateway and the bot: each has its subscriptions on the relay.
      await until(async () => (await relaySubscribers(relay)) >= 4, "four subscribers on the relay");
      const published = await run(["publish", "--topic", "shop.item.created", "--data", data]);
      expect([published.code, published.stderr]).toEqual([0, ""]);
      expect(await tail.exited).toBe(0);
      expect(tail.output().stdout).toMatch(/shop\.item\.created .*alice created shop item A1/);
      await until(() => streamed.length > 0, "the message on the monitor's stream", 10_000);
      expect(streamed[0]).toMatchObject({ event: "shop.item.created", summary: "alice created shop item A1" });
      await until(() => channel.heard.length > 0, "the line in #shop", 10_000);
      expect(channel.heard[0]?.text).toContain("alice created shop item A1");
      // The store writes in batches: ask until it answers, for at most 10 s.
      let answer = "";
      for (const deadline = Date.now() + 10_000; !answer.includes("A1") && Date.now() < deadline; )
        answer = (await run(["query", "--user", "alice"])).stdout;
      expect(answer).toMatch(/alice created shop item A1/);
    },
  );

  it("has its pages on the docs site", async () => {
    const built = await run(["docs", "build", "--out", "site"]);
    expect(built.code).toBe(0);
    const page = readFileSync(join(project, "site", "topics", "shop.item.created.html"), "utf8");
    expect(page).toContain("herald:shop.item.created/1.0");
    expect(page).toContain("ShopItemCreatedV1");
  });

  it("types a hub consumer of it, which passes herald consumer check", async () => {
    const consumer = `import { defineConsumer } from "@herald/hub";
import type { TopicMap } from "shop-schemas";

export default defineConsumer<TopicMap>({
  name: "shop-welcome",
  topics: ["shop.item.created"],
  async handle(message) {
    const who: string = message.data.username;
    void who;
  },
});
`;
    writeFileSync(join(project, "consumer.ts"), consumer);
    writeFileSync(
      join(project, "bad-consumer.ts"),
      consumer.replace("message.data.username", "message.data.user_name").replace("shop-welcome", "bad"),
    );
    const typecheck = (file: string) =>
      runNode(tsc, ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--target", "es2022", file], {
        cwd: project,
      });
    expect((await typecheck("consumer.ts")).stdout).toBe("");
    expect((await typecheck("bad-consumer.ts")).stdout).toMatch(/Property 'user_name' does not exist/);
    writeFileSync(
      join(project, "consumer.js"),
      consumer
        .replace('import type { TopicMap } from "shop-schemas";\n', "")
        .replace("<TopicMap>", "")
        .replace(": string", ""),
    );
    const checked = await run(["consumer", "check", "./consumer.js"]);
    expect([checked.code, existsSync(join(project, "consumer.js"))]).toEqual([0, true]);
  });
});
