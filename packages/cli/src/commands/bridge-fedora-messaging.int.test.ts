import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import {
  createCleanup,
  deleteAmqpTopology,
  rabbitmqAvailable,
  runHerald,
  startHerald,
  startPeer,
  startTestBus,
  testAmqpUrl,
  until,
  untilListening,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const hasBroker = await rabbitmqAvailable();

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

describe.skipIf(!hasBroker)("herald bridge: fedora-messaging ↔ Herald over RabbitMQ", () => {
  it("puts a fedora-messaging message on the bus signed by the bridge, and a Herald message in fedora-messaging's format on amq.topic, with no echo", async () => {
    const bus = await startTestBus({ keyid: "fm.bridge01", topics: ["org.example.#", "org.fedoraproject.#"] });
    cleanup.add(() => bus.relay?.stop());
    const queue = `herald.test.${randomBytes(4).toString("hex")}.fm`;
    cleanup.add(() => deleteAmqpTopology({ queues: [queue, `${queue}.dead`] }));
    // A test-only environment name keeps these messages apart from anything else on amq.topic.
    const environment = `t${randomBytes(3).toString("hex")}`;
    appendFileSync(
      bus.config,
      [
        "[bridge]",
        "http_port = 0",
        "[[bridges]]",
        'name = "fm"',
        'kind = "fedora-messaging"',
        `url = "${testAmqpUrl}"`,
        `queue = "${queue}"`,
        `topics = ["org.fedoraproject.${environment}.#", "org.example.${environment}.#"]`,
        "",
      ].join("\n"),
    );
    const bridge = startHerald(["bridge", "--config", bus.config]);
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: fm \(fedora-messaging, both\)/, 15_000);
    const tail = startHerald(["tail", "--config", bus.config, "--json"]);
    cleanup.add(() => tail.stop());
    const consumer = startPeer("fedora-messaging", ["consume", testAmqpUrl, "amq.topic", `#.${environment}.#`, "2"]);
    cleanup.add(() => consumer.stop());
    await consumer.waitFor(/ready/);
    const probes = await untilListening(tail, bus.config);
    const heard = () => lines(tail.output().stdout).slice(probes);

    // fedora-messaging → Herald
    const topic = `org.fedoraproject.${environment}.bodhi.update.comment`;
    const body = { comment: { text: "works for me", user: { name: "alice" } }, agent: "alice" };
    const publisher = startPeer("fedora-messaging", [
      "publish",
      testAmqpUrl,
      "amq.topic",
      topic,
      JSON.stringify(body),
      "alice",
      "herald",
    ]);
    expect(await publisher.exited).toBe(0);
    const messageId = publisher.output().stdout.trim();
    await until(() => heard().length >= 1, "the fedora-messaging message on the Herald bus");
    const arrived = JSON.parse(heard()[0] ?? "") as Record<string, unknown>;
    expect(arrived).toMatchObject({
      type: topic,
      id: messageId,
      data: body,
      fmschema: "base.message",
      keyid: "fm.bridge01",
    });
    expect(arrived.source).toMatch(/^\/fedora-messaging-bridge\.fm\//);
    expect((await runHerald(["verify", "--trust", bus.trustFile], { input: `${heard()[0]}\n` })).stdout).toBe(
      "valid\n",
    );

    // Herald → fedora-messaging
    const data = {
      build_id: "herald-7",
      name: "herald",
      host: "builder01",
      started_at: new Date().toISOString(),
      owner: "alice",
    };
    const publishEnv = { ...process.env, HERALD_ENVIRONMENT: environment };
    const published = await runHerald(
      ["publish", "--config", bus.config, "--topic", "buildsys.build.start", "--data", JSON.stringify(data), "--json"],
      { env: publishEnv },
    );
    expect(published.code, published.stderr).toBe(0);
    const heraldId = (JSON.parse(published.stdout) as { id: string }).id;
    expect(await consumer.exited).toBe(0);
    const received = lines(consumer.output().stdout)
      .slice(1)
      .map(
        (line) =>
          JSON.parse(line) as {
            routing_key: string;
            body: unknown;
            headers: Record<string, unknown>;
            message_id: string;
          },
      );
    // First the original fedora-messaging message itself, then the Herald one; no echo of the first.
    expect(received.map((message) => message.routing_key)).toEqual([
      topic,
      `org.example.${environment}.buildsys.build.start`,
    ]);
    const herald = received[1];
    expect(herald?.body).toEqual(data);
    expect(herald?.message_id).toBe(heraldId);
    expect(herald?.headers).toMatchObject({
      fedora_messaging_schema: "herald:buildsys.build.start/1.0",
      fedora_messaging_severity: 20,
      fedora_messaging_user_alice: true,
      fedora_messaging_rpm_herald: true,
    });
    expect(Date.parse(String(herald?.headers["sent-at"]))).toBeGreaterThan(Date.now() - 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(heard()).toHaveLength(2);
    expect(await bridge.stop()).toBe(0);
  }, 60_000);
});
