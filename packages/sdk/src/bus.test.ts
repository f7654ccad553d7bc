import { describe, expect, it } from "vitest";
import type { Rejection } from "./admission.js";
import { createBus } from "./bus.js";
import { createEnvelope } from "./envelope.js";
import { createPolicy } from "./policy.js";
import type { Gap } from "./sequence.js";
import { signEnvelope } from "./signing.js";
import { makeSigner, take } from "./test-fixtures.js";
import { createMemoryNetwork, createMemoryTransport } from "./transports/memory.js";

function setup(options: { allowUnsigned?: string[] } = {}) {
  const { key, trust } = makeSigner();
  const network = createMemoryNetwork();
  const publisherTransport = createMemoryTransport({ network });
  const subscriberTransport = createMemoryTransport({ network });
  const publisher = createBus({
    schemas: "none",
    transport: publisherTransport,
    prefix: "org.example",
    environment: "prod",
    signingKey: key,
  });
  const subscriber = createBus({
    schemas: "none",
    transport: subscriberTransport,
    trust,
    policy: createPolicy({ allowUnsigned: options.allowUnsigned ?? [] }),
  });
  return { key, publisher, publisherTransport, subscriber, subscriberTransport };
}

describe("the Bus", () => {
  it("delivers a signed message as valid, exactly as published", async () => {
    const { publisher, publisherTransport, subscriber } = setup();
    const subscription = await subscriber.subscribe(["org.example.*.git.#"]);
    const sent = await publisher.publish("git.receive", { rev: "abc" });
    const [message] = await take(subscription, 1);
    expect(message?.outcome).toBe("valid");
    expect(message?.envelope).toEqual(sent);
    expect(message?.raw.equals(publisherTransport.sent[0]!.body)).toBe(true);
    expect(sent.keyid).toBe("app.host01");
    expect(sent.type).toBe("org.example.prod.git.receive");
  });

  it("closes a subscription whose buffer is full and nobody reads, at once", async () => {
    const { publisher, subscriber } = setup();
    const subscription = await subscriber.subscribe(["org.example.#"], { bufferSize: 2 });
    for (let n = 0; n < 20; n++) await publisher.publish("git.receive", { n });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = await Promise.race([
      subscription.close().then(() => "closed"),
      new Promise((resolve) => setTimeout(() => resolve("still waiting after 2 s"), 2000)),
    ]);
    expect(closed).toBe("closed");
    // What was queued before the close can still be read.
    const read: unknown[] = [];
    for await (const message of subscription) read.push(message.envelope.data);
    expect(read.slice(0, 2)).toEqual([{ n: 0 }, { n: 1 }]);
  });

  it("records what an application published, for its own tests", async () => {
    const { publisher, publisherTransport } = setup();
    await publisher.publish("wiki.article.edit", { title: "Main Page" });
    expect(publisherTransport.sent.map((sent) => [sent.topic, sent.envelope.data])).toEqual([
      ["org.example.prod.wiki.article.edit", { title: "Main Page" }],
    ]);
  });

  it("does not deliver topics outside the patterns", async () => {
    const { publisher, subscriber } = setup();
    const subscription = await subscriber.subscribe(["org.example.prod.wiki.#"]);
    await publisher.publish("git.receive", { n: 1 });
    await publisher.publish("wiki.page.delete", { n: 2 });
    const messages = await take(subscription, 2, 300);
    expect(messages.map((message) => message.envelope.data)).toEqual([{ n: 2 }]);
  });

  it("refuses forged, mis-framed, unsigned and garbage messages and keeps going", async () => {
    const { key, publisher, subscriber, subscriberTransport } = setup();
    const rejections: Rejection[] = [];
    const subscription = await subscriber.subscribe(["org.example.#"], { onReject: (r) => rejections.push(r) });
    const genuine = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { n: 1 } }), key);
    const forged = { ...genuine, data: { n: 666 } };
    await subscriberTransport.inject(genuine.type, JSON.stringify(forged));
    await subscriberTransport.inject("org.example.prod.wiki.page.delete", JSON.stringify(genuine));
    await subscriberTransport.inject("org.example.prod.x.y", "{not json");
    await subscriberTransport.inject("org.example.prod.x.y", Buffer.from([0xff, 0xfe, 0x00]));
    await subscriberTransport.inject(genuine.type, JSON.stringify(createEnvelope({ topic: genuine.type, data: {} })));
    await subscriberTransport.inject(genuine.type, "[1,2,3]");
    await publisher.publishEnvelope(genuine);
    const messages = await take(subscription, 2, 300);
    expect(messages.map((message) => message.envelope.data)).toEqual([{ n: 1 }]);
    expect(rejections.map((r) => r.reason)).toEqual([
      "bad-signature",
      "topic-mismatch",
      "malformed",
      "malformed",
      "unsigned",
      "malformed",
    ]);
    expect(subscription.stats.rejected.malformed).toBe(3);
  });

  it("never lets a forged copy suppress the genuine message with the same id", async () => {
    const { key, publisher, subscriber, subscriberTransport } = setup();
    const subscription = await subscriber.subscribe(["org.example.#"]);
    const genuine = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { n: 1 } }), key);
    await subscriberTransport.inject(genuine.type, JSON.stringify({ ...genuine, data: { n: 2 } }));
    await subscriberTransport.inject("org.example.prod.git.other", JSON.stringify(genuine));
    await publisher.publishEnvelope(genuine);
    await publisher.publishEnvelope(genuine);
    const messages = await take(subscription, 2, 300);
    expect(messages.map((message) => message.envelope.id)).toEqual([genuine.id]);
    expect(subscription.stats.duplicates).toBe(1);
  });

  it("accepts unsigned messages only on the topics the policy lists", async () => {
    const { subscriber, subscriberTransport } = setup({ allowUnsigned: ["org.example.dev.#"] });
    const subscription = await subscriber.subscribe(["org.example.#"]);
    for (const topic of ["org.example.prod.logger.log", "org.example.dev.logger.log"]) {
      await subscriberTransport.inject(topic, JSON.stringify(createEnvelope({ topic, data: { topic } })));
    }
    const messages = await take(subscription, 2, 300);
    expect(messages.map((message) => [message.topic, message.outcome])).toEqual([
      ["org.example.dev.logger.log", "unsigned"],
    ]);
    expect(subscription.stats.rejected.unsigned).toBe(1);
  });

  it("reports a gap in a sender's sequence numbers to the application", async () => {
    const { key, subscriber, subscriberTransport } = setup();
    const gaps: Gap[] = [];
    const subscription = await subscriber.subscribe(["org.example.#"], { onGap: (gap) => gaps.push(gap) });
    const topic = "org.example.prod.git.receive";
    for (const sequence of [3, 4, 8, 9]) {
      const envelope = signEnvelope(createEnvelope({ topic, data: { sequence } }), key);
      await subscriberTransport.inject(topic, JSON.stringify(envelope), `seq abcd ${sequence}`);
    }
    await take(subscription, 4);
    expect(gaps).toEqual([{ sender: "abcd", topic, missed: 3, firstMissing: 5, lastMissing: 7 }]);
    expect(subscription.stats.missed).toBe(3);
  });

  it("refuses to publish on an invalid topic with a clear error", async () => {
    const { publisher } = setup();
    await expect(publisher.publish("Git.Receive", {})).rejects.toThrow(/invalid topic "org.example.prod.Git.Receive"/);
  });
});
