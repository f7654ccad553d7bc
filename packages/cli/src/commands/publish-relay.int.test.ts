import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBus, loadTrustFile, type ReceivedMessage } from "@herald/sdk";
import { type RunningProcess, relaySubscribers, runHerald, startHerald, tcpAddress, until } from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";

const running: RunningProcess[] = [];

/** Valid git.branch.create data, one branch per number. */
const branch = (n: number | string) =>
  JSON.stringify({
    repo: "herald",
    branch: `topic-${n}`,
    rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    username: "alice",
  });
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "herald-publish-"));
  await runHerald(["keygen", "git.pkgs01", "--dir", dir, "--trust", join(dir, "trust.json")]);
  const inbound = await tcpAddress();
  const outbound = await tcpAddress();
  const relay = startHerald([
    "relay",
    "--inbound",
    inbound,
    "--outbound",
    outbound,
    "--http",
    "0",
    "--trust",
    join(dir, "trust.json"),
  ]);
  running.push(relay);
  await relay.waitFor(/ready/);
  const bus = createBus({
    schemas: "none",
    transport: await createZeroMqTransport({ connect: [outbound] }),
    trust: loadTrustFile(join(dir, "trust.json")),
  });
  const subscription = await bus.subscribe(["#"]);
  await until(async () => (await relaySubscribers(relay)) >= 1, "the subscriber on the relay");
  const key = ["--key", join(dir, "git.pkgs01.pem"), "--keyid", "git.pkgs01"];
  return { dir, inbound, relay, bus, subscription, key };
}

describe("herald publish through herald relay", () => {
  it("20 concurrent publishers: every one that exits 0 arrives verified on the outbound", async () => {
    const { inbound, bus, subscription, key } = await setup();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        runHerald([
          "publish",
          "--topic",
          "org.example.prod.git.branch.create",
          "--data",
          branch(n),
          "--relay",
          inbound,
          ...key,
        ]),
      ),
    );
    const acknowledged = results.filter((result) => result.code === 0).map((result) => result.stdout.trim());
    expect(results.filter((result) => result.code !== 0).map((result) => result.stderr)).toEqual([]);
    expect(acknowledged).toHaveLength(20);
    const received: ReceivedMessage[] = [];
    for await (const message of subscription) {
      received.push(message);
      if (received.length === acknowledged.length) break;
    }
    expect(received.every((message) => message.outcome === "valid")).toBe(true);
    expect(received.every((message) => message.envelope.dataschema === "herald:git.branch.create/1.0")).toBe(true);
    expect(new Set(received.map((message) => message.envelope.id))).toEqual(new Set(acknowledged));
    await bus.close();
  });

  it("exits non-zero with one clear line once the relay is killed", async () => {
    const { inbound, relay, bus, key } = await setup();
    const before = await runHerald([
      "publish",
      "--topic",
      "git.branch.create",
      "--data",
      branch(1),
      "--relay",
      inbound,
      ...key,
    ]);
    expect(before.code).toBe(0);
    await relay.stop("SIGKILL");
    const after = await runHerald([
      "publish",
      "--topic",
      "git.branch.create",
      "--data",
      branch(2),
      "--relay",
      inbound,
      "--timeout",
      "500",
      ...key,
    ]);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/^herald: no relay acknowledged the message \(tcp:\/\/127\.0\.0\.1:\d+: .+\)\n$/);
    await bus.close();
  });

  it("fails over to the next relay, and reads the data from stdin", async () => {
    const { inbound, subscription, bus, key } = await setup();
    const dead = await tcpAddress();
    const result = await runHerald(
      ["publish", "--topic", "git.branch.create", "--relay", dead, "--relay", inbound, "--timeout", "500", ...key],
      { input: branch("stdin") },
    );
    expect(result.code).toBe(0);
    const { value } = await subscription[Symbol.asyncIterator]().next();
    expect(value?.envelope.data).toMatchObject({ branch: "topic-stdin" });
    await bus.close();
  });

  it("passes on the relay's refusal of an unsigned message", async () => {
    const { inbound, bus } = await setup();
    const result = await runHerald(
      ["publish", "--topic", "git.branch.create", "--data", branch(3), "--relay", inbound],
      {
        env: { HERALD_KEY_FILE: undefined, HERALD_KEY_ID: undefined, HERALD_CONFIG: "/dev/null" },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused the message: unsigned/);
    await bus.close();
  });

  it("rejects data that is not a JSON object before sending anything", async () => {
    const result = await runHerald(["publish", "--topic", "git.receive", "--data", "[1]"]);
    expect([result.code, result.stderr]).toEqual([1, "herald: --data: data must be a JSON object\n"]);
  });

  it("reads --data as a relay reads a message: a key twice or an integer JSON would round is refused, not changed", async () => {
    const twice = await runHerald(["publish", "--topic", "git.receive", "--data", '{"repo":"a","repo":"b"}']);
    expect([twice.code, twice.stderr]).toEqual([1, 'herald: --data: refused: duplicate-key: "repo" twice at /\n']);
    const big = await runHerald(["publish", "--topic", "git.receive", "--data", '{"size":12345678901234567890}']);
    expect([big.code, big.stderr]).toEqual([
      1,
      "herald: --data: refused: unsafe-integer: 12345678901234567890 at /size would be rounded\n",
    ]);
  });

  it("checks the data against the topic's schema before sending anything, naming every problem", async () => {
    const bad = await runHerald(["publish", "--topic", "git.branch.create", "--data", '{"repo":"herald"}']);
    expect([bad.code, bad.stderr]).toEqual([
      1,
      "herald: data does not match herald:git.branch.create/1.0: $.branch must have required property 'branch'; $.rev must have required property 'rev'; $.username must have required property 'username'\n",
    ]);
    const unknown = await runHerald(["publish", "--topic", "git.branch.rename", "--data", "{}"]);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      "herald: no schema for git.branch.rename: see herald schema list, or pass --no-schema to publish it unchecked\n",
    ]);
  });
});
