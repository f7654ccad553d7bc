import { appendFileSync } from "node:fs";
import {
  createCleanup,
  rabbitmqAvailable,
  runHerald,
  startHerald,
  startTestBus,
  startTestExchange,
  testAmqpUrl,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const hasBroker = await rabbitmqAvailable();

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

describe.skipIf(!hasBroker)("herald bridge: another organisation's AMQP broker → the bus", () => {
  it("maps plain JSON messages to topics by rule, signs them, and dead-letters what it cannot convert", async () => {
    const bus = await startTestBus({ keyid: "partner.bridge01", topics: ["org.example.#"] });
    cleanup.add(() => bus.relay?.stop());
    // Their exchange, as they would have it.
    const { exchange, queue, connection } = await startTestExchange(cleanup, "partner.test");
    appendFileSync(
      bus.config,
      [
        "[bridge]",
        "http_port = 0",
        "[[bridges]]",
        'name = "partner"',
        'kind = "amqp-foreign"',
        `url = "${testAmqpUrl}"`,
        `exchange = "${exchange}"`,
        `queue = "${queue}"`,
        "[[bridges.rules]]",
        'match = "forge.*.push"',
        'topic = "org.example.prod.partner.{key}"',
        "[[bridges.rules]]",
        'match = "Alerts.#"',
        'topic = "org.example.prod.partner.alert"',
        "",
      ].join("\n"),
    );
    const bridge = startHerald(["bridge", "--config", bus.config]);
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: partner \(amqp-foreign, in\)/, 15_000);
    const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
    cleanup.add(() => tail.stop());

    const publisher = connection.createPublisher({ confirm: true });
    cleanup.add(() => publisher.close());
    await publisher.send(
      { exchange, routingKey: "forge.herald.push", messageId: "push-1" },
      { repo: "herald", commits: 3 },
    );
    await publisher.send(
      { exchange, routingKey: "Alerts.disk", contentType: "text/plain" },
      JSON.stringify({ host: "db1", free: "2%" }),
    );
    await publisher.send({ exchange, routingKey: "forge.herald.push", contentType: "text/plain" }, "not json at all");

    await until(() => lines(tail.output().stdout).length >= 2, "the partner's messages on the bus");
    const arrived = lines(tail.output().stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(arrived.map((envelope) => envelope.type)).toEqual([
      "org.example.prod.partner.forge.herald.push",
      "org.example.prod.partner.alert",
    ]);
    expect(arrived[0]).toMatchObject({ data: { repo: "herald", commits: 3 }, keyid: "partner.bridge01" });
    expect(arrived[1]).toMatchObject({ data: { host: "db1", free: "2%" } });
    expect((await runHerald(["verify", "--trust", bus.trustFile], { input: tail.output().stdout })).stdout).toBe(
      "valid\nvalid\n",
    );
    // The body that is not JSON went to the dead-letter queue, and the bridge said so in one line.
    await bridge.waitFor(/partner: message forge\.herald\.push \(no id\) rejected: the body is not JSON/);
    const check = await connection.acquire();
    const { messageCount } = await check.queueDeclare({ queue: `${queue}.dead`, passive: true });
    await check.close();
    expect(messageCount).toBe(1);
    expect(await bridge.stop()).toBe(0);
  }, 60_000);
});
