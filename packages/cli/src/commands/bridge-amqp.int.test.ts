import { randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createBus, loadSigningKey } from "@herald/sdk";
import {
  amqpBindings,
  createCleanup,
  deleteAmqpTopology,
  freePort,
  metricSample,
  rabbitmqAvailable,
  runHerald,
  startHerald,
  startTestBus,
  testAmqpUrl,
  until,
} from "@herald/test-support";
import { createAmqpTransport } from "@herald/transport-amqp";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const hasBroker = await rabbitmqAvailable();

const lines = (text: string) => text.split("\n").filter((line) => line !== "");
const tagsOf = (text: string) => lines(text).map((line) => (JSON.parse(line) as { data: { tag: string } }).data.tag);

describe.skipIf(!hasBroker)("herald bridge: the ZeroMQ bus and Herald on RabbitMQ", () => {
  it("carries messages both ways unchanged, each arriving once, and reports it in /metrics", async () => {
    const bus = await startTestBus({ keyid: "git.bridge01" });
    cleanup.add(() => bus.relay?.stop());
    const exchange = `herald.test.${randomBytes(4).toString("hex")}`;
    const queue = `${exchange}.bridge`;
    cleanup.add(() => deleteAmqpTopology({ queues: [queue, `${queue}.dead`], exchanges: [exchange] }));
    const httpPort = await freePort();
    appendFileSync(
      bus.config,
      [
        "[bridge]",
        `http_port = ${httpPort}`,
        "[[bridges]]",
        'name = "fleet"',
        'kind = "amqp"',
        `url = "${testAmqpUrl}"`,
        `exchange = "${exchange}"`,
        `queue = "${queue}"`,
        'topics = ["org.example.#"]',
        "",
      ].join("\n"),
    );
    // The same bus seen from RabbitMQ: transport = amqp on the bridge's exchange.
    const amqpConfig = join(bus.dir, "amqp.toml");
    writeFileSync(
      amqpConfig,
      `transport = "amqp"\ntrust_file = "trust.json"\n[amqp]\nurl = "${testAmqpUrl}"\nexchange = "${exchange}"\n`,
    );

    const bridge = await bus.joined(() => startHerald(["bridge", "--config", bus.config]));
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: fleet \(amqp, both\)/, 15_000);
    const zeromqTail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
    cleanup.add(() => zeromqTail.stop());
    const bound = await amqpBindings(exchange);
    const amqpTail = startHerald(["tail", "--config", amqpConfig, "--json"]);
    cleanup.add(() => amqpTail.stop());
    await until(async () => (await amqpBindings(exchange)) > bound, "the RabbitMQ tail's queue bound");

    // One message from each side.
    const data = (tag: string) => ({
      repo: "herald",
      tag,
      rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
      username: "alice",
    });
    const published = await runHerald([
      "publish",
      "--config",
      bus.config,
      "--topic",
      "git.tag.create",
      "--data",
      JSON.stringify(data("from-zeromq")),
    ]);
    expect(published.code).toBe(0);
    const transport = await createAmqpTransport({ url: testAmqpUrl, exchange });
    const amqpBus = createBus({
      schemas: "none",
      transport,
      prefix: "org.example",
      environment: "dev",
      signingKey: loadSigningKey(bus.keyFile, "git.bridge01"),
    });
    await amqpBus.publish("git.tag.create", data("from-rabbitmq"));
    await amqpBus.close();

    await until(() => lines(zeromqTail.output().stdout).length >= 2, "both messages on the ZeroMQ bus");
    await until(() => lines(amqpTail.output().stdout).length >= 2, "both messages on RabbitMQ");
    // Each message's echo came around and was dropped (the bridge's own count says so): nothing
    // more is on its way.
    const loops = async () => {
      const page = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      return ["fleet.in", "fleet.out"].map(
        (part) => metricSample(page, "herald_messages_rejected_total", { part, reason: "loop" }) ?? 0,
      );
    };
    await until(async () => (await loops()).every((count) => count >= 1), "both echoes dropped");
    expect(tagsOf(zeromqTail.output().stdout).sort()).toEqual(["from-rabbitmq", "from-zeromq"]);
    expect(tagsOf(amqpTail.output().stdout).sort()).toEqual(["from-rabbitmq", "from-zeromq"]);
    // Unchanged envelopes: every one still verifies, byte for byte the same on both sides.
    for (const tail of [zeromqTail, amqpTail]) {
      const verified = await runHerald(["verify", "--trust", bus.trustFile], { input: tail.output().stdout });
      expect(verified.stdout).toBe("valid\nvalid\n");
    }
    expect(lines(zeromqTail.output().stdout).sort()).toEqual(lines(amqpTail.output().stdout).sort());

    const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    expect(metricSample(metrics, "herald_messages_out_total", { part: "fleet.in" })).toBe(1);
    expect(metricSample(metrics, "herald_messages_out_total", { part: "fleet.out" })).toBe(1);
    // Each side saw the other's message come back around once, and dropped it.
    expect(metricSample(metrics, "herald_messages_rejected_total", { part: "fleet.in", reason: "loop" })).toBe(1);
    expect(metricSample(metrics, "herald_messages_rejected_total", { part: "fleet.out", reason: "loop" })).toBe(1);
    expect(metrics).toMatch(/^process_cpu_seconds_total/m);

    expect(await bridge.stop()).toBe(0);
  }, 90_000);

  it("says in one line when there is nothing to bridge", async () => {
    const bus = await startTestBus({ keyid: "git.bridge02", relay: false });
    const result = await runHerald(["bridge", "--config", bus.config]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      "herald: no bridges configured: add [[bridges]] to herald.toml (see docs/bridges.md)",
    );
    writeFileSync(bus.config, `${readFileSync(bus.config, "utf8")}[[bridges]]\nname = "x"\nkind = "kafka"\n`);
    const bad = await runHerald(["bridge", "--config", bus.config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^herald: .*herald\.toml: bridges\.0\.kind: must be one of amqp, fedmsg, fedora-messaging, amqp-foreign, amqp10, stomp$/m,
    );
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
