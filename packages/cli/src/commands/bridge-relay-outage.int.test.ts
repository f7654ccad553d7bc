import { appendFileSync } from "node:fs";
import { createEnvelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import {
  createCleanup,
  rabbitmqAvailable,
  startHerald,
  startTestBus,
  startTestExchange,
  type TestBus,
  testAmqpUrl,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { Router } from "zeromq";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const hasBroker = await rabbitmqAvailable();

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

/** A bridge kind that reads a RabbitMQ queue onto the bus: its configuration and one message in its format. */
interface Case {
  kind: string;
  config: (exchange: string) => string[];
  message: (bus: TestBus) => { routingKey: string; body: Buffer; messageId: string; type: string };
}

const cases: Case[] = [
  {
    kind: "amqp-foreign",
    config: (exchange) => [
      `exchange = "${exchange}"`,
      "[[bridges.rules]]",
      'match = "forge.#"',
      'topic = "org.example.prod.partner.{key}"',
    ],
    message: () => ({
      routingKey: "forge.herald.push",
      body: Buffer.from(JSON.stringify({ repo: "herald" })),
      messageId: "outage-1",
      type: "org.example.prod.partner.forge.herald.push",
    }),
  },
  {
    kind: "fedora-messaging",
    config: (exchange) => [`exchange = "${exchange}"`, 'direction = "in"', 'topics = ["org.example.#"]'],
    message: () => ({
      routingKey: "org.example.prod.bodhi.update.comment",
      body: Buffer.from(JSON.stringify({ comment: "works for me" })),
      messageId: "outage-2",
      type: "org.example.prod.bodhi.update.comment",
    }),
  },
  {
    kind: "amqp",
    config: (exchange) => [`exchange = "${exchange}"`, 'direction = "in"', 'topics = ["org.example.#"]'],
    message: (bus) => {
      const envelope = signEnvelope(
        createEnvelope({ topic: "org.example.prod.git.receive", data: { repo: "herald" } }),
        loadSigningKey(bus.keyFile, "outage.bridge01"),
      );
      return {
        routingKey: envelope.type,
        body: Buffer.from(JSON.stringify(envelope)),
        messageId: envelope.id,
        type: envelope.type,
      };
    },
  },
];

describe.skipIf(!hasBroker)("herald bridge: the relay goes away while a broker's message waits", () => {
  it.each(cases)(
    "$kind keeps it unacknowledged past the delivery limit, and delivers it once a relay answers",
    async ({ kind, config, message }) => {
      const bus = await startTestBus({ keyid: "outage.bridge01", topics: ["org.example.#"] });
      cleanup.add(() => bus.relay?.stop());
      // Their exchange, as they would have it.
      const { exchange, queue, connection } = await startTestExchange(cleanup, "herald.test");
      // One redelivery allowed: a bridge that left the outage to the broker would dead-letter at once.
      appendFileSync(
        bus.config,
        [
          "[amqp]",
          "delivery_limit = 1",
          "[bridge]",
          "http_port = 0",
          "[[bridges]]",
          'name = "upstream"',
          `kind = "${kind}"`,
          `url = "${testAmqpUrl}"`,
          `queue = "${queue}"`,
          ...config(exchange),
          "",
        ].join("\n"),
      );
      const bridge = startHerald(["bridge", "--config", bus.config]);
      cleanup.add(() => bridge.stop());
      await bridge.waitFor(/ready: upstream/, 15_000);
      const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
      cleanup.add(() => tail.stop());

      await bus.relay?.stop();
      // In the relay's place, one that takes requests and never answers: it counts the bridge's tries.
      const silent = new Router({ linger: 0 });
      cleanup.add(() => silent.close());
      await silent.bind(bus.inbound);
      let tries = 0;
      void (async () => {
        for await (const _ of silent) tries++;
      })().catch(() => {});
      const sent = message(bus);
      const publisher = connection.createPublisher({ confirm: true });
      cleanup.add(() => publisher.close());
      await publisher.send(
        { exchange, routingKey: sent.routingKey, messageId: sent.messageId, contentType: "application/octet-stream" },
        sent.body,
      );
      await bridge.waitFor(/upstream: retrying until the relay acknowledges: /, 15_000);
      // Three unanswered tries later the message is still the bridge's, unacknowledged; nothing was
      // dead-lettered (the old bridge gave it up at the first).
      await until(() => tries >= 3, "three tries of the relay", 60_000);
      const check = await connection.acquire();
      const dead = await check.queueDeclare({ queue: `${queue}.dead`, passive: true });
      const held = await check.queueDeclare({ queue, passive: true });
      await check.close();
      expect(dead.messageCount).toBe(0);
      expect(held.messageCount).toBe(0);

      silent.close();
      await bus.startRelay();
      await bridge.waitFor(/upstream: the relay acknowledges again/, 60_000);
      await until(() => lines(tail.output().stdout).length >= 1, "the message held through the outage", 30_000);
      expect(JSON.parse(lines(tail.output().stdout)[0] ?? "")).toMatchObject({ type: sent.type });
      expect(await bridge.stop()).toBe(0);
    },
    120_000,
  );
});
