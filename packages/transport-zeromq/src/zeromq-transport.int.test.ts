import type { Gap, Rejection } from "@herald/sdk";
import { createBus, createEnvelope, signEnvelope } from "@herald/sdk";
import { makeSigner, take } from "@herald/sdk/testing";
import { tcpAddress } from "@herald/test-support";
import { describe, expect, it } from "vitest";
import { Dealer, Publisher } from "zeromq";
import { createZeroMqTransport } from "./zeromq-transport.js";

/** Waits until a ZeroMQ subscription has reached its publisher (the slow-joiner window). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("the ZeroMQ transport over real sockets", () => {
  it("carries signed messages from one bus to another, verified", async () => {
    const { key, trust } = makeSigner();
    const address = await tcpAddress();
    const publisher = createBus({
      schemas: "none",
      transport: await createZeroMqTransport({ bind: [address] }),
      prefix: "org.example",
      environment: "prod",
      signingKey: key,
    });
    const subscriber = createBus({
      schemas: "none",
      transport: await createZeroMqTransport({ connect: [address] }),
      trust,
    });
    const subscription = await subscriber.subscribe(["org.example.prod.git.#"]);
    await settle();
    for (let n = 0; n < 100; n++) await publisher.publish("git.receive", { n });
    const messages = await take(subscription, 100);
    expect(messages.map((message) => message.envelope.data.n)).toEqual([...Array(100).keys()]);
    expect(messages.every((message) => message.outcome === "valid")).toBe(true);
    expect(subscription.stats.missed).toBe(0);
    await Promise.all([publisher.close(), subscriber.close()]);
  });

  it("survives garbage frames and refuses mis-framed and forged messages", async () => {
    const { key, trust } = makeSigner();
    const address = await tcpAddress();
    const raw = new Publisher();
    await raw.bind(address);
    const rejections: Rejection[] = [];
    const subscriber = createBus({
      schemas: "none",
      transport: await createZeroMqTransport({ connect: [address] }),
      trust,
    });
    const subscription = await subscriber.subscribe(["org.example.#"], { onReject: (r) => rejections.push(r) });
    await settle();
    const genuine = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { ok: true } }), key);
    await raw.send("org.example.prod.git.receive");
    await raw.send(["org.example.prod.git.receive", Buffer.from([0xc3, 0x28, 0xa0])]);
    await raw.send(["org.example.prod.git.other", JSON.stringify(genuine)]);
    await raw.send([
      "org.example.prod.git.receive",
      JSON.stringify({ ...genuine, sig: genuine.sig?.replace(/^./, "A") }),
    ]);
    await raw.send(["org.example.prod.git.receive", JSON.stringify(genuine), "not a stamp", "extra"]);
    const messages = await take(subscription, 2, 1000);
    expect(messages.map((message) => message.envelope.id)).toEqual([genuine.id]);
    expect(rejections.map((r) => r.reason)).toEqual(["malformed", "malformed", "topic-mismatch", "bad-signature"]);
    raw.close();
    await subscriber.close();
  });

  it("reports messages lost between two received ones as a gap", async () => {
    const { key, trust } = makeSigner();
    const address = await tcpAddress();
    const raw = new Publisher();
    await raw.bind(address);
    const gaps: Gap[] = [];
    const subscriber = createBus({
      schemas: "none",
      transport: await createZeroMqTransport({ connect: [address] }),
      trust,
    });
    const subscription = await subscriber.subscribe(["org.example.#"], { onGap: (gap) => gaps.push(gap) });
    await settle();
    const topic = "org.example.prod.git.receive";
    for (const sequence of [1, 2, 5]) {
      const envelope = signEnvelope(createEnvelope({ topic, data: { sequence } }), key);
      await raw.send([topic, JSON.stringify(envelope), `seq 00ff ${sequence}`]);
    }
    await take(subscription, 3);
    expect(gaps).toEqual([{ sender: "00ff", topic, missed: 2, firstMissing: 3, lastMissing: 4 }]);
    // herald_gaps_total and herald_messages_missed_total count from these.
    expect([subscription.stats.gaps, subscription.stats.missed]).toEqual([1, 2]);
    raw.close();
    await subscriber.close();
  });

  it("says which address is taken when binding fails", async () => {
    const address = await tcpAddress();
    const first = await createZeroMqTransport({ bind: [address] });
    await expect(createZeroMqTransport({ bind: [address] })).rejects.toThrow(`cannot bind ${address}`);
    await first.close();
  });

  it("drops a publisher that sends a frame past max_message_bytes, and takes its small frames after it reconnects", async () => {
    const address = await tcpAddress();
    const raw = new Publisher({ linger: 0 });
    await raw.bind(address);
    const transport = await createZeroMqTransport({ connect: [address], maxMessageBytes: 64 * 1024 });
    const bodies: number[] = [];
    await transport.subscribe(["#"], (frame) => {
      bodies.push(frame.body.length);
    });
    await settle();
    await raw.send(["org.example.prod.git.receive", Buffer.alloc(4 * 1024 * 1024, 0x20)]);
    for (let tries = 0; tries < 50 && bodies.length === 0; tries++) {
      await raw.send(["org.example.prod.git.receive", "{}"]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((length) => length === 2)).toBe(true);
    raw.close();
    await transport.close();
  });

  it("reads everything a publisher sent before it went away, however long that takes", async () => {
    const address = await tcpAddress();
    const raw = new Publisher({ linger: 5000, sendHighWaterMark: 0 });
    await raw.bind(address);
    const transport = await createZeroMqTransport({ connect: [address] });
    let received = 0;
    await transport.subscribe(["#"], async () => {
      // Slower than the publisher: the rest waits in the socket's queue after it has gone.
      if (++received % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    });
    await settle();
    for (let n = 0; n < 20_000; n++) await raw.send(["org.example.prod.git.receive", "{}"]);
    raw.close();
    for (let tries = 0; tries < 100 && received < 20_000; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toBe(20_000);
    await transport.close();
  });

  it("says a subscription whose handshake failed is down, and recovers it once the right peer answers", async () => {
    const address = await tcpAddress();
    // Another socket type at the address: libzmq's handshake fails and it never retries by itself.
    const wrong = new Dealer();
    await wrong.bind(address);
    const errors: string[] = [];
    const transport = await createZeroMqTransport({
      connect: [address],
      onError: (error) => errors.push(error.message),
    });
    const frames: string[] = [];
    const subscription = await transport.subscribe(["org.example.#"], (frame) => {
      if (!frame.heartbeat) frames.push(frame.topic);
    });
    for (let tries = 0; tries < 50 && transport.connected; tries++) await settle();
    expect(transport.connected).toBe(false);
    expect(errors.join("\n")).toMatch(/handshake with tcp:\/\/127\.0\.0\.1:\d+ failed|was cut and not restored/);

    wrong.close();
    const right = new Publisher();
    // libzmq releases the closed socket's port in the background: bind once it is free.
    for (let tries = 0; ; tries++) {
      try {
        await right.bind(address);
        break;
      } catch (error) {
        if (tries >= 100 || !/in use/i.test((error as Error).message)) throw error;
        await settle();
      }
    }
    for (let tries = 0; tries < 100 && frames.length === 0; tries++) {
      await right.send(["org.example.prod.git.receive", "{}"]);
      await settle();
    }
    expect(frames.length).toBeGreaterThan(0);
    expect(transport.connected).toBe(true);
    right.close();
    await subscription.close();
    await transport.close();
  }, 60_000);
});
