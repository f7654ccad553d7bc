import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSchemaRegistry } from "@herald/schemas";
import type { SchemaRegistry } from "@herald/sdk";
import {
  createBus,
  createEnvelope,
  generateSigningKey,
  parseTrustFile,
  type Subscription,
  signEnvelope,
} from "@herald/sdk";
import { makeSigner, take } from "@herald/sdk/testing";
import { tcpAddress, untilSubscribed } from "@herald/test-support";
import { createRelayClient, createZeroMqTransport, type RelayClient } from "@herald/transport-zeromq";
import { CloudEvent, type CloudEventV1, HTTP } from "cloudevents";
import { afterEach, describe, expect, it } from "vitest";
import { Dealer, Router } from "zeromq";
import { type Relay, startRelay } from "./relay-server.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function startTestRelay(schemas?: SchemaRegistry): Promise<{
  relay: Relay;
  inbound: string;
  subscription: Subscription;
  key: ReturnType<typeof makeSigner>["key"];
  relayKeyid: string;
}> {
  const { key } = makeSigner("git.host01", ["org.example.*.git.#"]);
  const relayKey = generateSigningKey("relay.host01").signingKey;
  const trust = parseTrustFile({
    version: 1,
    keys: {
      "git.host01": { publicKey: key.publicKeyBase64, topics: ["org.example.*.git.#"] },
      "relay.host01": { publicKey: relayKey.publicKeyBase64, topics: ["org.example.*.logger.#"] },
    },
  });
  const inbound = await tcpAddress();
  const outbound = await tcpAddress();
  const publishing = await createZeroMqTransport({ bind: [outbound] });
  const relay = await startRelay({
    inbound: [inbound],
    outbound: publishing,
    http: { port: 0, signingKey: relayKey, token: relayToken },
    trust,
    ...(schemas === undefined ? {} : { schemas }),
  });
  const subscriber = createBus({
    schemas: "none",
    transport: await createZeroMqTransport({ connect: [outbound] }),
    trust,
  });
  const subscription = await subscriber.subscribe(["org.example.#"]);
  closers.push(
    () => subscriber.close(),
    () => relay.close(),
  );
  await untilSubscribed(publishing);
  return { relay, inbound, subscription, key, relayKeyid: "relay.host01" };
}

function client(relays: string[], timeoutMs = 2000): RelayClient {
  const created = createRelayClient({ relays, timeoutMs });
  closers.push(() => created.close());
  return created;
}

const relayToken = "t0ken-of-the-relay-0123456789";

describe("the relay", () => {
  it("acknowledges a signed message only after republishing it byte for byte", async () => {
    const { inbound, subscription, key } = await startTestRelay();
    const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { rev: "1" } }), key);
    const body = Buffer.from(JSON.stringify(envelope));
    const ack = await client([inbound]).send(body);
    expect(ack).toEqual({ id: envelope.id, relay: inbound, duplicate: false });
    const [message] = await take(subscription, 1);
    expect(message?.outcome).toBe("valid");
    expect(message?.raw.equals(body)).toBe(true);
  });

  it("refuses a forged message and sends the reason back", async () => {
    const { inbound, relay, key } = await startTestRelay();
    const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { rev: "1" } }), key);
    await expect(client([inbound]).send({ ...envelope, data: { rev: "2" } })).rejects.toThrow(
      /refused the message: bad-signature/,
    );
    expect(relay.stats.rejected["bad-signature"]).toBe(1);
  });

  it("remembers what it accepted across a restart: an envelope posted again is a repeat, not news", async () => {
    const { key, trust } = makeSigner("git.host01", ["org.example.*.git.#"]);
    const journalFile = join(mkdtempSync(join(tmpdir(), "herald-replay-")), "relay.journal");
    // Each start on fresh addresses: a closing socket lingers on its port for a moment.
    const start = async (inbound: string) =>
      startRelay({
        inbound: [inbound],
        outbound: await createZeroMqTransport({ bind: [await tcpAddress()] }),
        trust,
        journalFile,
      });
    const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: {} }), key);
    const firstInbound = await tcpAddress();
    const first = await start(firstInbound);
    expect((await client([firstInbound]).send(envelope)).duplicate).toBe(false);
    await first.close();
    const inbound = await tcpAddress();
    const second = await start(inbound);
    closers.push(() => second.close());
    const again = await client([inbound]).send(envelope);
    expect(again.duplicate).toBe(true);
    expect(second.stats.accepted).toBe(0);
    // And one dated before the window is refused: its id could no longer be recognized.
    const ancient = signEnvelope(
      createEnvelope({ topic: "org.example.prod.git.receive", data: {}, time: new Date(Date.now() - 8 * 86_400_000) }),
      key,
    );
    await expect(client([inbound]).send(ancient)).rejects.toThrow(/older than the replay window/);
  });

  it("judges expiry and time by its own clock: no backdating past notAfter, no post-dating", async () => {
    const expired = makeSigner("git.old01", ["org.example.*.git.#"]).key;
    const current = makeSigner("git.new01", ["org.example.*.git.#"]).key;
    const trust = parseTrustFile({
      version: 1,
      keys: {
        "git.old01": {
          publicKey: expired.publicKeyBase64,
          topics: ["org.example.*.git.#"],
          notAfter: "2025-01-01T00:00:00Z",
        },
        "git.new01": { publicKey: current.publicKeyBase64, topics: ["org.example.*.git.#"] },
      },
    });
    const inbound = await tcpAddress();
    const relay = await startRelay({
      inbound: [inbound],
      outbound: await createZeroMqTransport({ bind: [await tcpAddress()] }),
      trust,
    });
    closers.push(() => relay.close());
    const dated = (key: typeof expired, time: string) =>
      signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: {}, time: new Date(time) }), key);
    // Dated while the key was valid, so it verifies by PROTOCOL.md §4 — but it arrives now.
    await expect(client([inbound]).send(dated(expired, "2024-06-01T00:00:00.000Z"))).rejects.toThrow(
      /refused the message: key-expired: key git\.old01 may not sign now/,
    );
    await expect(
      client([inbound]).send(dated(current, new Date(Date.now() + 3_600_000).toISOString())),
    ).rejects.toThrow(/refused the message: malformed: time .* is ahead of this hop's clock/);
    expect((await client([inbound]).send(dated(current, new Date().toISOString()))).relay).toBe(inbound);
  });

  it("refuses data that breaks the schema its dataschema names, with the path and the reason", async () => {
    const { inbound, relay, subscription, key } = await startTestRelay(createSchemaRegistry());
    const tag = (data: Record<string, unknown>) =>
      signEnvelope(
        createEnvelope({ topic: "org.example.prod.git.tag.create", data, dataschema: "herald:git.tag.create/1.0" }),
        key,
      );
    // The first message of a schema compiles its validator (the relay never compiles the listing
    // one: it refuses with the first problem); a loaded CI machine can take longer than the file's
    // 2 s default for that one reply.
    await expect(client([inbound], 10_000).send(tag({ repo: "herald", tag: "v1" }))).rejects.toThrow(
      /refused the message: invalid-data: herald:git\.tag\.create\/1\.0: .* must have required property/,
    );
    expect(relay.stats.rejected["invalid-data"]).toBe(1);
    const good = tag({ repo: "herald", tag: "v1", rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username: "bob" });
    expect((await client([inbound]).send(good)).id).toBe(good.id);
    const [message] = await take(subscription, 1);
    expect(message?.envelope.id).toBe(good.id);
  });

  it("acknowledges a repeated id again without republishing it", async () => {
    const { inbound, subscription, key } = await startTestRelay();
    const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: {} }), key);
    const sender = client([inbound]);
    expect((await sender.send(envelope)).duplicate).toBe(false);
    expect((await sender.send(envelope)).duplicate).toBe(true);
    expect(await take(subscription, 2, 500)).toHaveLength(1);
  });

  it("sends a retried message that its outbound failed to republish, rather than calling it a repeat", async () => {
    const { key, trust } = makeSigner("git.host01", ["org.example.*.git.#"]);
    const outbound = await createZeroMqTransport({ bind: [await tcpAddress()] });
    let failures = 1;
    const sent: string[] = [];
    const flaky = {
      ...outbound,
      send: async (topic: string, body: Buffer) => {
        if (failures-- > 0) throw new Error("the broker refused it");
        sent.push(topic);
        await outbound.send(topic, body);
      },
      close: () => outbound.close(),
    };
    const inbound = await tcpAddress();
    const relay = await startRelay({ inbound: [inbound], outbound: flaky, trust });
    closers.push(() => relay.close());
    const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: {} }), key);
    await expect(client([inbound]).send(envelope)).rejects.toThrow(/could not republish: the broker refused it/);
    const retried = await client([inbound]).send(envelope);
    expect([retried.duplicate, sent]).toEqual([false, ["org.example.prod.git.receive"]]);
  });

  it("fails over to the next relay when the first does not answer", async () => {
    const { inbound, subscription, key } = await startTestRelay();
    const dead = await tcpAddress();
    const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: {} }), key);
    const ack = await client([dead, inbound], 500).send(envelope);
    expect(ack.relay).toBe(inbound);
    expect(await take(subscription, 1)).toHaveLength(1);
  });

  it("cuts off a sender of frames larger than its limit, holding none of them, and answers the next sender", async () => {
    const { inbound, subscription, key } = await startTestRelay();
    const hostile = new Dealer({ linger: 0 });
    // The relay cutting the sender off is what shows the frames were refused (no pause needed).
    const cutOff = new Promise<void>((resolve) => hostile.events.on("disconnect", () => resolve()));
    hostile.connect(inbound);
    const replies: Buffer[][] = [];
    (async () => {
      for await (const frames of hostile) replies.push(frames);
    })().catch(() => {});
    const before = process.memoryUsage().rss;
    const big = Buffer.alloc(8 * 1024 * 1024, 0x7b);
    for (let index = 0; index < 8; index++)
      await hostile.send([Buffer.from(`r${index}`), "org.example.prod.git.receive", big]);
    await cutOff;
    hostile.close();
    expect(replies).toEqual([]);
    // The frames were refused as they arrived: the relay did not keep 64 MiB of them.
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: {} }), key);
    expect((await client([inbound], 2000).send(envelope)).relay).toBe(inbound);
    expect(await take(subscription, 1)).toHaveLength(1);
  });

  it("skips a relay that failed, instead of waiting its timeout for every message", async () => {
    const { inbound, subscription, key } = await startTestRelay();
    // A relay that takes requests and never answers: it counts what it was asked.
    const silent = new Router({ linger: 0 });
    const silentAddress = await tcpAddress();
    await silent.bind(silentAddress);
    let asked = 0;
    (async () => {
      for await (const _ of silent) asked++;
    })().catch(() => {});
    closers.push(async () => silent.close());
    const sender = client([silentAddress, inbound], 500);
    for (let n = 0; n < 20; n++) {
      const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { n } }), key);
      expect((await sender.send(envelope)).relay).toBe(inbound);
    }
    // Its timeout is paid once, then it is skipped with a doubling backoff: a machine slow enough to
    // outlast the first skip gives it a second or third try, never one per message.
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(asked).toBeLessThan(5);
    expect(await take(subscription, 20)).toHaveLength(20);
  });

  it("says so when no relay acknowledges", async () => {
    const { key } = makeSigner();
    const envelope = signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: {} }), key);
    const dead = [await tcpAddress(), await tcpAddress()];
    await expect(client(dead, 300).send(envelope)).rejects.toThrow(/no relay acknowledged the message/);
  });

  it("takes envelopes and {topic, data} posts over HTTP", async () => {
    const { relay, subscription, key, relayKeyid } = await startTestRelay();
    const url = `http://127.0.0.1:${relay.httpPort}/v1/messages`;
    const envelope = signEnvelope(
      createEnvelope({ topic: "org.example.prod.git.receive", data: { via: "http" } }),
      key,
    );
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
    const bearer = { authorization: `Bearer ${relayToken}` };

    const first = await post(JSON.stringify(envelope));
    expect([first.status, await first.json()]).toEqual([200, { ok: true, id: envelope.id }]);
    const hello = JSON.stringify({ topic: "org.example.prod.logger.log", data: { text: "hello" } });
    const second = await post(hello, bearer);
    expect(second.status).toBe(200);

    // Speaking with the relay's key takes its token; a browser page cannot send JSON without a
    // preflight, and a foreign Origin is refused; the poster does not choose a time far off.
    const refusals = await Promise.all([
      post(hello),
      post(hello, { authorization: "Bearer not-the-token-at-all" }),
      post(hello, { ...bearer, "content-type": "text/plain" }),
      post(hello, { ...bearer, origin: "https://evil.example" }),
      post(
        JSON.stringify({ topic: "org.example.prod.logger.log", data: {}, time: "2099-01-01T00:00:00.000Z" }),
        bearer,
      ),
      post(
        JSON.stringify({ topic: "org.example.prod.logger.log", data: {}, time: "2020-01-01T00:00:00.000Z" }),
        bearer,
      ),
      post(`{"topic":"org.example.prod.logger.log","data":${"[".repeat(100)}${"]".repeat(100)}}`, bearer),
      post('{"topic":"org.example.prod.logger.log","topic":"org.example.prod.git.receive","data":{}}', bearer),
    ]);
    expect(refusals.map((response) => response.status)).toEqual([401, 401, 415, 403, 400, 400, 400, 400]);
    const reasons = await Promise.all(
      refusals.map(async (response) => ((await response.json()) as { detail: string }).detail),
    );
    expect(reasons[4]).toMatch(/ahead of the relay's clock/);
    expect(reasons[5]).toMatch(/old: post events as they happen/);
    expect(reasons[6]).toMatch(/^too-deep: /);
    expect(reasons[7]).toMatch(/^duplicate-key: "topic" twice/);
    const forged = await post(JSON.stringify({ ...envelope, id: "01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e70" }));
    expect([forged.status, ((await forged.json()) as { reason: string }).reason]).toEqual([422, "bad-signature"]);
    const garbage = await post("{nope");
    expect(garbage.status).toBe(400);

    const messages = await take(subscription, 2);
    expect(messages.map((message) => [message.envelope.data, message.envelope.keyid])).toEqual([
      [{ via: "http" }, "git.host01"],
      [{ text: "hello" }, relayKeyid],
    ]);
  });
});

describe("the relay's HTTP inbound in CloudEvents binary mode", () => {
  it("takes what the cloudevents SDK's binary emitter sends, signature intact, and refuses a malformed one with the header at fault", async () => {
    const { relay, subscription, key } = await startTestRelay();
    const url = `http://127.0.0.1:${relay.httpPort}/v1/messages`;
    const envelope = signEnvelope(
      createEnvelope({ topic: "org.example.prod.git.receive", data: { repo: "Zürich", commits: 3 } }),
      key,
    );
    // The official SDK, as an app would use it: its HTTP binding's binary mode (ce-* headers).
    const message = HTTP.binary(new CloudEvent(envelope as unknown as CloudEventV1<unknown>, false));
    const headers = message.headers as Record<string, string>;
    expect(headers["ce-sig"]).toBe(envelope.sig);
    const sent = await fetch(url, { method: "POST", headers, body: message.body as string });
    expect([sent.status, await sent.json()]).toEqual([200, { ok: true, id: envelope.id }]);
    const [received] = await take(subscription, 1);
    // Verified by the subscriber: every attribute and the data arrived as signed.
    expect(received?.envelope).toEqual(envelope);

    const post = (extra: Record<string, string>, body = '{"repo":"x"}') =>
      fetch(url, { method: "POST", headers: { ...headers, ...extra }, body });
    const refusals = [
      await post({ "content-type": "text/plain" }),
      await post({ "ce-specversion": "0.3" }),
      await post({ "ce-source": "%E0%A4%A" }),
      await post({ "ce-Bad_Name": "x" }),
      await post({}, "{nope"),
      await post({ "ce-id": "01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e70" }),
    ];
    expect(refusals.map((response) => response.status)).toEqual([415, 400, 400, 400, 400, 422]);
    const details = await Promise.all(
      refusals.map(async (response) => (await response.json()) as { detail?: string; reason: string }),
    );
    expect(details[1]?.detail).toMatch(/ce-specversion must be 1.0/);
    expect(details[2]?.detail).toMatch(/header ce-source: not valid percent-encoded UTF-8/);
    expect(details[3]?.detail).toMatch(/header ce-bad_name: a CloudEvents attribute name/);
    expect(details[5]?.reason).toBe("bad-signature");
  });
});
