import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBus, createEnvelope, type Gap, parseTrustFile, signEnvelope } from "@herald/sdk";
import { makeSigner } from "@herald/sdk/testing";
import { tcpAddress, until, untilSubscribed } from "@herald/test-support";
import { createRelayClient, createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";
import { startRelay } from "./relay-server.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe("a subscriber that stalled through the end of a burst", () => {
  it("notices the lost tail from the relay's heartbeat and fetches it from the journal", async () => {
    const { key } = makeSigner("git.burst01", ["org.example.*.git.#"]);
    const trust = parseTrustFile({
      version: 1,
      keys: { "git.burst01": { publicKey: key.publicKeyBase64, topics: ["org.example.*.git.#"] } },
    });
    const inbound = await tcpAddress();
    const outbound = await tcpAddress();
    // Small queues on both sides, so the stalled subscriber's share is dropped by ZeroMQ.
    const publishing = await createZeroMqTransport({ bind: [outbound], sendHighWaterMark: 20, heartbeatMs: 500 });
    const relay = await startRelay({
      inbound: [inbound],
      outbound: publishing,
      trust,
      journalFile: join(mkdtempSync(join(tmpdir(), "herald-burst-")), "relay.journal"),
    });
    closers.push(() => relay.close());
    const bus = createBus({
      schemas: "none",
      trust,
      transport: await createZeroMqTransport({ connect: [outbound], relays: [inbound], receiveHighWaterMark: 20 }),
    });
    closers.push(() => bus.close());
    const gaps: Gap[] = [];
    const subscription = await bus.subscribe(["org.example.#"], { bufferSize: 5, onGap: (gap) => gaps.push(gap) });
    await untilSubscribed(publishing);

    // The subscriber reads nothing while 3,000 messages of 8 KiB go by: ZeroMQ drops most of them.
    const client = createRelayClient({ relays: [inbound] });
    closers.push(() => client.close());
    const padding = "x".repeat(8192);
    const sent = new Set<string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < 3000) {
          const n = next++;
          const envelope = signEnvelope(
            createEnvelope({ topic: "org.example.dev.git.receive", data: { n, padding } }),
            key,
          );
          sent.add((await client.send(envelope)).id);
        }
      }),
    );

    // Then it reads. Nothing is published after the burst: only a heartbeat can show the tail.
    const received = new Set<string>();
    void (async () => {
      for await (const message of subscription) received.add(message.envelope.id);
    })();
    await until(() => received.size === sent.size, `all ${sent.size} messages`, 30_000).catch((error: Error) => {
      // What a slow run needs to be understood: how far recovery got.
      throw new Error(
        `${error.message}: ${received.size} received, ${gaps.length} gap(s) noticed, stats ${JSON.stringify(subscription.stats)}`,
      );
    });
    expect(gaps.length).toBeGreaterThan(0);
    expect(subscription.stats.missed).toBeGreaterThan(0);
    expect([...sent].every((id) => received.has(id))).toBe(true);
  }, 60_000);
});
