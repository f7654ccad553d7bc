import type { Gap, Rejection } from "@herald/sdk";
import { createBus, createEnvelope, signEnvelope } from "@herald/sdk";
import { makeSigner, take } from "@herald/sdk/testing";
import { tcpAddress, until, untilBound, untilSubscribed } from "@herald/test-support";
import { describe, expect, it } from "vitest";
import { Dealer, Publisher, XPublisher } from "zeromq";
import { countSubscribers } from "./subscriber-count.js";
import { createZeroMqTransport } from "./zeromq-transport.js";

/**
 * A raw publishing socket that knows its subscribers (an XPUB sends as a PUB does): `joined()`
 * resolves once a Herald subscription reached it, the end of ZeroMQ's slow-joiner window.
 */
async function rawPublisher(address: string, options: ConstructorParameters<typeof XPublisher>[0] = {}) {
  const socket = new XPublisher({ ...options, verbosity: "allSubsUnsubs" });
  await socket.bind(address);
  const heard = countSubscribers(socket);
  return {
    send: (frames: Parameters<XPublisher["send"]>[0]) => socket.send(frames),
    close: () => socket.close(),
    joined: () => until(() => heard.heraldSubscribers >= 1, "the subscriber on the raw publisher", 30_000),
  };
}

describe("the ZeroMQ transport over real sockets", () => {
  it("carries signed messages from one bus to another, verified", async () => {
    const { key, trust } = makeSigner();
    const address = await tcpAddress();
    const publishing = await createZeroMqTransport({ bind: [address] });
    const publisher = createBus({
      schemas: "none",
      transport: publishing,
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
    await untilSubscribed(publishing);
    for (let n = 0; n < 100; n++) await publisher.publish("git.receive", { n });
    const messages = await take(subscription, 100);
    expect(messages.map((message) => message.envelope.data.n)).toEqual([...Array(100).keys()]);
    expect(messages.every((message) => message.outcome === "valid")).toBe(true);
    expect(subscription.stats.missed).toBe(0);
    // The publishing socket counted the subscriber in, and counts it out when it goes.
    expect(publishing.subscribers).toBe(1);
    await subscriber.close();
    await until(() => publishing.subscribers === 0, "the subscriber counted out");
    await publisher.close();
  });

  it("survives garbage frames and refuses mis-framed and forged messages", async () => {
    const { key, trust } = makeSigner();
    const address = await tcpAddress();
    const raw = await rawPublisher(address);
    const rejections: Rejection[] = [];
    const subscriber = createBus({
      schemas: "none",
      transport: await createZeroMqTransport({ connect: [address] }),
      trust,
    });
    const subscription = await subscriber.subscribe(["org.example.#"], { onReject: (r) => rejections.push(r) });
    await raw.joined();
    const genuine = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { ok: true } }), key);
    await raw.send("org.example.prod.git.receive");
    await raw.send(["org.example.prod.git.receive", Buffer.from([0xc3, 0x28, 0xa0])]);
    await raw.send(["org.example.prod.git.other", JSON.stringify(genuine)]);
    await raw.send([
      "org.example.prod.git.receive",
      JSON.stringify({ ...genuine, sig: genuine.sig?.replace(/^./, "A") }),
    ]);
    await raw.send(["org.example.prod.git.receive", JSON.stringify(genuine), "not a stamp", "extra"]);
    // A last genuine one: frames arrive in order, so once it is here every frame before it was judged.
    const last = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { last: true } }), key);
    await raw.send(["org.example.prod.git.receive", JSON.stringify(last)]);
    const messages = await take(subscription, 2);
    expect(messages.map((message) => message.envelope.id)).toEqual([genuine.id, last.id]);
    expect(rejections.map((r) => r.reason)).toEqual(["malformed", "malformed", "topic-mismatch", "bad-signature"]);
    raw.close();
    await subscriber.close();
  });

  it("reports messages lost between two received ones as a gap", async () => {
    const { key, trust } = makeSigner();
    const address = await tcpAddress();
    const raw = await rawPublisher(address);
    const gaps: Gap[] = [];
    const subscriber = createBus({
      schemas: "none",
      transport: await createZeroMqTransport({ connect: [address] }),
      trust,
    });
    const subscription = await subscriber.subscribe(["org.example.#"], { onGap: (gap) => gaps.push(gap) });
    await raw.joined();
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
    const raw = await rawPublisher(address, { linger: 0 });
    const transport = await createZeroMqTransport({ connect: [address], maxMessageBytes: 64 * 1024 });
    const bodies: number[] = [];
    await transport.subscribe(["#"], (frame) => {
      bodies.push(frame.body.length);
    });
    await raw.joined();
    await raw.send(["org.example.prod.git.receive", Buffer.alloc(4 * 1024 * 1024, 0x20)]);
    // Small frames, one a poll, until the subscriber has reconnected and takes them.
    await until(
      async () => {
        await raw.send(["org.example.prod.git.receive", "{}"]);
        return bodies.length > 0;
      },
      "a small frame after the reconnection",
      30_000,
      100,
    );
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((length) => length === 2)).toBe(true);
    raw.close();
    await transport.close();
  });

  it("reads everything a publisher sent before it went away, however long that takes", async () => {
    const address = await tcpAddress();
    const raw = await rawPublisher(address, { linger: 5000, sendHighWaterMark: 0 });
    const transport = await createZeroMqTransport({ connect: [address] });
    let received = 0;
    await transport.subscribe(["#"], async () => {
      // Slower than the publisher: the rest waits in the socket's queue after it has gone.
      if (++received % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    });
    await raw.joined();
    for (let n = 0; n < 20_000; n++) await raw.send(["org.example.prod.git.receive", "{}"]);
    raw.close();
    await until(() => received >= 20_000, "all 20,000 read after the publisher left", 60_000);
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
    await until(() => !transport.connected, "the failed handshake seen", 30_000).catch(() => {});
    expect(transport.connected).toBe(false);
    expect(errors.join("\n")).toMatch(/handshake with tcp:\/\/127\.0\.0\.1:\d+ failed|was cut and not restored/);

    wrong.close();
    const right = new Publisher();
    // libzmq releases the closed socket's port in the background: bind once it is free.
    await untilBound(() => right.bind(address));
    await until(
      async () => {
        await right.send(["org.example.prod.git.receive", "{}"]);
        return frames.length > 0;
      },
      "a frame from the right peer",
      30_000,
      100,
    );
    expect(frames.length).toBeGreaterThan(0);
    expect(transport.connected).toBe(true);
    right.close();
    await subscription.close();
    await transport.close();
  }, 60_000);
  it("says a subscription is down while its publisher never answered, and after it went away", async () => {
    const address = await tcpAddress();
    // Nothing listens at the address yet.
    const transport = await createZeroMqTransport({ connect: [address], unreachableAfterMs: 300 });
    const frames: string[] = [];
    const subscription = await transport.subscribe(["org.example.#"], (frame) => {
      if (!frame.heartbeat) frames.push(frame.topic);
    });
    await until(() => !transport.connected, "the unanswered address seen as down");

    const publisher = new Publisher();
    await publisher.bind(address);
    await until(
      async () => {
        await publisher.send(["org.example.prod.git.receive", "{}"]);
        return frames.length > 0;
      },
      "a frame from the publisher",
      30_000,
      100,
    );
    expect(transport.connected).toBe(true);

    publisher.close();
    await until(() => !transport.connected, "the publisher's going seen");
    await subscription.close();
    await transport.close();
  }, 60_000);
});
