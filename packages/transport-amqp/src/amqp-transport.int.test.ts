import { randomBytes } from "node:crypto";
import type { TransportFrame } from "@herald/sdk";
import { createBus } from "@herald/sdk";
import { makeSigner } from "@herald/sdk/testing";
import { rabbitmqAvailable, testAmqpUrl, until } from "@herald/test-support";
import { Connection } from "rabbitmq-client";
import { describe, expect, it } from "vitest";
import { createAmqpTransport } from "./amqp-transport.js";

const hasBroker = await rabbitmqAvailable();
const { key: signingKey, trust } = makeSigner("git.amqp01", ["org.example.*.git.#"]);
const unique = () => randomBytes(4).toString("hex");

/** Deletes the durable queues a test declared (they outlive the test by design). */
async function deleteQueues(...queues: string[]) {
  const connection = new Connection(testAmqpUrl);
  const channel = await connection.acquire();
  for (const queue of queues) await channel.queueDelete({ queue });
  await channel.close();
  await connection.close();
}

describe.skipIf(!hasBroker)("the AMQP transport, against this machine's RabbitMQ", () => {
  it("carries signed messages through a topic exchange, confirmed, unchanged, verified", async () => {
    const exchange = `herald.test.${unique()}`;
    const publisher = createBus({
      schemas: "none",
      transport: await createAmqpTransport({ url: testAmqpUrl, exchange }),
      signingKey,
      prefix: "org.example",
      environment: "prod",
    });
    const subscriber = createBus({
      schemas: "none",
      transport: await createAmqpTransport({ url: testAmqpUrl, exchange }),
      trust,
    });
    const subscription = await subscriber.subscribe(["org.example.*.git.#"]);
    const sent = [];
    for (let n = 0; n < 20; n++) sent.push(await publisher.publish("git.receive", { n } as never));
    await publisher.publish("wiki.article.edit", { n: 99 } as never).catch(() => undefined);
    const received: string[] = [];
    for await (const message of subscription) {
      expect(message.outcome).toBe("valid");
      received.push(message.raw.toString());
      if (received.length === 20) break;
    }
    expect(received).toEqual(sent.map((envelope) => JSON.stringify(envelope)));
    await publisher.close();
    await subscriber.close();
  });

  it("keeps messages for a named durable queue while its consumer is away, and redelivers what a handler failed", async () => {
    const exchange = `herald.test.${unique()}`;
    const queue = `herald.test.${unique()}`;
    const publisher = createBus({
      schemas: "none",
      transport: await createAmqpTransport({ url: testAmqpUrl, exchange }),
      signingKey,
      prefix: "org.example",
      environment: "prod",
    });
    // The consumer declares its queue and goes away; what is published meanwhile waits in the queue.
    const first = await createAmqpTransport({ url: testAmqpUrl, exchange, queue, deliveryLimit: 2 });
    await (await first.subscribe(["org.example.#"], () => undefined)).close();
    await first.close();
    for (let n = 0; n < 10; n++) await publisher.publish("git.receive", { n } as never);

    const consumer = await createAmqpTransport({ url: testAmqpUrl, exchange, queue, deliveryLimit: 2 });
    const seen: number[] = [];
    let failedOnce = false;
    const subscription = await consumer.subscribe(["org.example.#"], (frame: TransportFrame) => {
      const n = (JSON.parse(frame.body.toString()) as { data: { n: number } }).data.n;
      if (n === 3 && !failedOnce) {
        failedOnce = true;
        throw new Error("a handler failure");
      }
      seen.push(n);
    });
    await until(() => seen.length === 10, "all ten, one of them redelivered", 10_000);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await subscription.close();
    await consumer.close();
    await publisher.close();
    await deleteQueues(queue, `${queue}.dead`);
  });

  it("bus.consume acknowledges after the handler: a failing message comes back, then goes to the dead-letter queue", async () => {
    const exchange = `herald.test.${unique()}`;
    const queue = `herald.test.${unique()}`;
    const publisher = createBus({
      schemas: "none",
      transport: await createAmqpTransport({ url: testAmqpUrl, exchange }),
      signingKey,
      prefix: "org.example",
      environment: "prod",
    });
    const consumer = createBus({
      schemas: "none",
      transport: await createAmqpTransport({ url: testAmqpUrl, exchange, queue, deliveryLimit: 2 }),
      trust,
    });
    const handled: number[] = [];
    const attempts = new Map<number, number>();
    const consumption = await consumer.consume(["org.example.#"], async (message) => {
      const { n } = message.envelope.data as { n: number };
      attempts.set(n, (attempts.get(n) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 1));
      // 2 fails once and is handled on its second delivery; 4 always fails.
      if ((n === 2 && attempts.get(n) === 1) || n === 4) throw new Error(`handler failed on ${n}`);
      handled.push(n);
    });
    for (let n = 0; n < 6; n++) await publisher.publish("git.receive", { n } as never);
    await until(() => handled.length === 5, "five handled, one of them on its second delivery", 10_000);
    expect([...handled].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 5]);
    // Delivered once plus the queue's limit of 2 redeliveries, then dead-lettered.
    await until(() => attempts.get(4) === 3, "message 4 tried three times", 10_000);
    await consumption.close();
    const connection = new Connection(testAmqpUrl);
    const channel = await connection.acquire();
    // RabbitMQ dead-letters on its own time: look until the message is there.
    const deadCount = async () => (await channel.queueDeclare({ queue: `${queue}.dead`, passive: true })).messageCount;
    await until(async () => (await deadCount()) >= 1, "message 4 in the dead-letter queue").catch(() => {});
    const dead = { messageCount: await deadCount() };
    await channel.close();
    await connection.close();
    expect(dead.messageCount).toBe(1);
    await consumer.close();
    await publisher.close();
    await deleteQueues(queue, `${queue}.dead`);
  });

  it("refuses a named queue declared before with another delivery limit, in one clear error", async () => {
    const queue = `herald.test.${unique()}`;
    const first = await createAmqpTransport({ url: testAmqpUrl, queue, deliveryLimit: 2 });
    await (await first.subscribe(["org.example.#"], () => undefined)).close();
    await first.close();
    const second = await createAmqpTransport({ url: testAmqpUrl, queue, deliveryLimit: 3 });
    await expect(second.subscribe(["org.example.#"], () => undefined)).rejects.toThrow(
      /cannot consume from herald\.test\.\w+: .*inequivalent arg 'x-delivery-limit'/,
    );
    await second.close();
    await deleteQueues(queue, `${queue}.dead`);
  });

  it("says it is not healthy while the broker refuses to confirm, and healthy again once it confirms", async () => {
    const exchange = `herald.test.${unique()}`;
    const queue = `herald.test.full.${unique()}`;
    const transport = await createAmqpTransport({ url: testAmqpUrl, exchange });
    // A queue that holds one message and refuses the next: the broker nacks that publish.
    const connection = new Connection(testAmqpUrl);
    const channel = await connection.acquire();
    await channel.exchangeDeclare({ exchange, type: "topic", durable: true });
    await channel.queueDeclare({
      queue,
      durable: true,
      arguments: { "x-max-length": 1, "x-overflow": "reject-publish" },
    });
    await channel.queueBind({ queue, exchange, routingKey: "#" });
    await transport.send("org.example.prod.git.receive", Buffer.from("{}"));
    expect(transport.connected).toBe(true);
    await expect(transport.send("org.example.prod.git.receive", Buffer.from("{}"))).rejects.toThrow(/did not confirm/);
    expect(transport.connected).toBe(false);
    await channel.queuePurge({ queue });
    await transport.send("org.example.prod.git.receive", Buffer.from("{}"));
    expect(transport.connected).toBe(true);
    await channel.queueDelete({ queue });
    await channel.exchangeDelete({ exchange });
    await channel.close();
    await connection.close();
    await transport.close();
  });

  it("says which broker it cannot reach, without the password", async () => {
    await expect(createAmqpTransport({ url: "amqp://herald:secret@127.0.0.1:1" })).rejects.toThrow(
      /^amqp:\/\/127\.0\.0\.1:1: cannot connect to the broker: /,
    );
  });
});
