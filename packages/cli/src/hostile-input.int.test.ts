import { randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import {
  createCleanup,
  freePort,
  publishWithHerald,
  type RunningProcess,
  startHerald,
  startTestBus,
  tcpAddress,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Dealer, Publisher } from "zeromq";

// A bounded fuzz run against the real processes over real sockets: random and mutated ZeroMQ
// frames, HTTP requests and WebSocket frames at the relay, tail, store, gateway, hub and a fedmsg
// bridge. Afterwards no process has died, none holds more than `maxRssBytes`, every listener
// answers, and a real message still goes all the way through. Seeded, so a failure can be replayed
// with HERALD_FUZZ_SEED; HERALD_FUZZ_SECONDS makes it longer.
const seconds = Number(process.env.HERALD_FUZZ_SECONDS ?? 20);
const seed = Number(process.env.HERALD_FUZZ_SEED ?? Date.now() % 1_000_000);
const maxRssBytes = 400 * 1024 * 1024;

const cleanup = createCleanup();
afterAll(() => cleanup.run());

/** A small deterministic generator (mulberry32), so a failing run can be repeated. */
function generator(start: number) {
  let state = start >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

const envelopeText = (topic: string) =>
  JSON.stringify({
    specversion: "1.0",
    id: "0193a8c4-5b2e-7c1d-9e3f-1a2b3c4d5e6f",
    source: "/git/fuzz",
    type: topic,
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    dataschema: "herald:git.receive/1.0",
    data: { repo: "herald", paths: ["a", 1], commit: { stats: { files: {} } } },
    keyid: "git.fuzz01",
    sig: "A".repeat(86) + "==",
  });

/** Bodies that have broken listeners before, and random mutations of a real envelope. */
function hostileBody(random: ReturnType<typeof generator>, topic: string): Buffer {
  const base = envelopeText(topic);
  switch (random.int(10)) {
    case 0:
      return randomBytes(random.int(2000));
    case 1:
      return Buffer.from(`{"data":${"[".repeat(20_000)}${"]".repeat(20_000)}}`);
    case 2:
      return Buffer.from(base.replace('"type":', '"type":"org.example.prod.logger.log","type":'));
    case 3:
      return Buffer.from(base.replace('"data":{', '"data":{"n":9223372036854775809,'));
    case 4:
      return Buffer.from(pickJson(random));
    case 5:
      return Buffer.from(base.replace('"time":"', '"time":"9999'));
    default: {
      const bytes = Buffer.from(base);
      for (let flips = random.int(8) + 1; flips > 0; flips--) bytes[random.int(bytes.length)] = random.int(256);
      return random.int(4) === 0 ? bytes.subarray(0, random.int(bytes.length)) : bytes;
    }
  }
}

function pickJson(random: ReturnType<typeof generator>): string {
  return random.pick([
    "null",
    "[]",
    "{}",
    '"x"',
    "1e999",
    '{"__proto__":{"polluted":true}}',
    '{"specversion":"1.0","data":null}',
    `{"topic":"${"#.".repeat(40)}#","data":{}}`,
    '{"topic":"org.example.prod.logger.log","data":{"text":"a\\u0000b"}}',
  ]);
}

function hostilePath(random: ReturnType<typeof generator>): string {
  return random.pick([
    "/",
    "/healthz",
    "/metrics",
    "/v1/messages",
    "/v2/search?topic=" + encodeURIComponent(Array(26).fill("#").join(".")),
    "/v2/search?rows_per_page=-1&page=99999999999",
    "/v2/search?start=abc&end=1e400",
    "/v2/id?id=" + "%".repeat(5),
    "/herald/export?topic=%E0%A4%A",
    "/consumers/%E0%A4%A/resume",
    "/consumers/probe/resume",
    "/stream",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/topics/" + "a".repeat(5000),
    "/v2/search?" + "user=x&".repeat(500),
    "/raw?callback=" + encodeURIComponent("alert(document.cookie)//") + "&meta=summary&meta=date",
    "/raw/?rows_per_page=0&delta=1e308",
    "/v2/id?id=2026-" + "f".repeat(36) + "&meta=nope&is_raw=maybe",
    "/id?id=&size=huge",
    "/herald/search?cursor=" + "9".repeat(400),
    "/messagecount/",
  ]);
}

/** One HTTP request of any shape; resolves with the status, or 0 when the connection was cut. */
function hostileRequest(port: number, random: ReturnType<typeof generator>): Promise<number> {
  return new Promise((resolve) => {
    const body = random.int(2) === 0 ? hostileBody(random, "org.example.prod.git.receive") : Buffer.alloc(0);
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: random.pick(["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD"]),
        path: hostilePath(random),
        headers: {
          "content-type": random.pick(["application/json", "text/plain", "application/x-www-form-urlencoded", "x/y"]),
          ...(random.int(3) === 0 ? { origin: "https://evil.example" } : {}),
          ...(random.int(3) === 0 ? { authorization: `Bearer ${randomBytes(8).toString("hex")}` } : {}),
        },
        timeout: 3000,
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", () => resolve(0));
      },
    );
    req.on("error", () => resolve(0));
    req.on("timeout", () => {
      req.destroy();
      resolve(0);
    });
    req.end(body);
  });
}

function rssOf(process: RunningProcess): number {
  const status = readFileSync(`/proc/${process.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function healthz(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return 0;
  }
}

describe("hostile input at every listener", () => {
  it(
    `keeps relay, tail, store, gateway, hub and bridge alive, bounded and answering (${seconds} s, seed ${seed})`,
    async () => {
      const random = generator(seed);
      const bus = await startTestBus({ keyid: "git.fuzz01", topics: ["org.example.#"], relay: false });
      cleanup.add(() => bus.relay?.stop("SIGKILL"));
      const hostilePub = await tcpAddress();
      const fedmsgPub = await tcpAddress();
      const [storePort, gatewayPort, hubPort, bridgePort, relayHttp] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
      writeFileSync(join(bus.dir, "relay.token"), `${randomBytes(24).toString("hex")}\n`);
      writeFileSync(
        join(bus.dir, "consumer.mjs"),
        'export default { name: "probe", topics: ["git.receive"], handle() {} };\n',
      );
      const config = readFileSync(bus.config, "utf8").replace("http_port = 0", `http_port = ${relayHttp}`);
      writeFileSync(
        bus.config,
        `${config}http_token_file = "relay.token"
[store]
db = "sqlite:store.sqlite"
[hub]
http_port = ${hubPort}
[[hub.consumers]]
module = "./consumer.mjs"
[bridge]
http_port = ${bridgePort}
[[bridges]]
name = "legacy"
kind = "fedmsg"
connect = ["${fedmsgPub}"]
bind = ["${await tcpAddress()}"]
topics = ["org.fedoraproject.#"]
`,
      );
      appendFileSync(bus.config, "");

      const publisher = new Publisher({ linger: 0 });
      await publisher.bind(hostilePub);
      const fedmsg = new Publisher({ linger: 0 });
      await fedmsg.bind(fedmsgPub);
      cleanup.add(() => publisher.close());
      cleanup.add(() => fedmsg.close());

      await bus.startRelay();
      const connect = ["--connect", bus.outbound, "--connect", hostilePub];
      const processes: Record<string, RunningProcess> = {
        relay: bus.relay as RunningProcess,
        store: startHerald(["store", "--config", bus.config, ...connect, "--http", String(storePort)], {
          cwd: bus.dir,
        }),
        tail: startHerald(["tail", "--config", bus.config, ...connect, "--json", "--insecure"]),
        gateway: startHerald(["gateway", "--config", bus.config, ...connect, "--http", String(gatewayPort)]),
        hub: startHerald(["hub", "--config", bus.config]),
        bridge: startHerald(["bridge", "--config", bus.config]),
      };
      for (const process of Object.values(processes)) cleanup.add(() => process.stop("SIGKILL"));
      await Promise.all(["store", "gateway", "hub", "bridge"].map((name) => processes[name]?.waitFor(/ready/, 30_000)));

      const dealer = new Dealer({ linger: 0, sendTimeout: 100 });
      dealer.connect(bus.inbound);
      cleanup.add(() => dealer.close());
      (async () => {
        for await (const _ of dealer);
      })().catch(() => {});

      const topics = ["org.example.prod.git.receive", "org.example.prod.logger.log", "", "x".repeat(300), "\u0000"];
      const httpPorts = [relayHttp, storePort, gatewayPort, hubPort, bridgePort];
      const deadline = Date.now() + seconds * 1000;
      let sent = 0;
      while (Date.now() < deadline) {
        const topic = random.pick(topics);
        const frames: (Buffer | string)[] = [topic, hostileBody(random, topic)];
        if (random.int(2) === 0)
          frames.push(random.pick(["seq abc 999999999999999", "seq x 1", randomBytes(20).toString()]));
        if (random.int(20) === 0) frames.push(...Array.from({ length: random.int(10) }, () => randomBytes(10)));
        await Promise.all([
          dealer.send([Buffer.from(String(sent)), ...frames]).catch(() => {}),
          publisher.send(frames).catch(() => {}),
          fedmsg
            .send([random.pick(["org.fedoraproject.prod.x", "org.fedoraproject"]), hostileBody(random, topic)])
            .catch(() => {}),
          hostileRequest(random.pick(httpPorts), random),
        ]);
        if (sent % 50 === 0) {
          // A WebSocket client of any manners: hostile frames, a foreign Origin, then gone.
          const socket = new WebSocket(
            `ws://127.0.0.1:${gatewayPort}/stream`,
            random.int(2) === 0 ? { origin: "https://evil.example" } : {},
          );
          socket.on("error", () => {});
          socket.on("open", () => {
            for (let n = 0; n < 5; n++) socket.send(random.int(2) === 0 ? hostileBody(random, "x") : pickJson(random));
            socket.send(JSON.stringify({ type: "filter", topics: [Array(126).fill("#").join(".")] }));
            setTimeout(() => socket.terminate(), 200);
          });
        }
        if (sent % 500 === 0)
          await dealer
            .send([Buffer.from("big"), topics[0] as string, Buffer.alloc(4 * 1024 * 1024, 0x7b)])
            .catch(() => {});
        sent++;
      }

      // No process died; none holds more than the bound.
      const rss = Object.entries(processes).map(
        ([name, process]) => `${name} ${Math.round(rssOf(process) / 2 ** 20)} MB`,
      );
      console.log(`hostile input: ${sent} rounds in ${seconds} s (seed ${seed}); RSS after: ${rss.join(", ")}`);
      for (const [name, process] of Object.entries(processes)) {
        expect([name, process.child.exitCode, process.child.signalCode]).toEqual([name, null, null]);
        expect([name, rssOf(process) < maxRssBytes]).toEqual([name, true]);
      }
      // Every listener answers.
      for (const port of [storePort, gatewayPort, hubPort, bridgePort])
        expect([port, await healthz(port)]).toEqual([port, 200]);
      expect(await healthz(relayHttp)).toBe(200);
      // And a real message still goes through to the archive and the tail.
      const published = await publishWithHerald(bus.config, "logger.log", { text: "after the storm" });
      expect([published.code, published.stderr]).toEqual([0, ""]);
      await until(
        () => processes.tail?.output().stdout.includes("after the storm") === true,
        "the message in tail",
        15_000,
      );
      let found = "";
      await until(
        async () => {
          found = await (await fetch(`http://127.0.0.1:${storePort}/v2/search?topic=org.example.%23`)).text();
          return found.includes("after the storm");
        },
        "the message in the archive",
        15_000,
        100,
      ).catch(() => {});
      expect(found).toContain("after the storm");
      expect(sent).toBeGreaterThan(100);
    },
    (seconds + 120) * 1000,
  );
});
