import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createBus,
  createEnvelope,
  type Envelope,
  parseTrustFile,
  type SigningKey,
  signEnvelope,
  type Transport,
  type TrustStore,
} from "@herald/sdk";
import { makeSigner } from "@herald/sdk/testing";
import { createCleanup, tcpAddress, until, untilBound, untilSubscribed } from "@herald/test-support";
import { createRelayClient, createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";
import { type Relay, startRelay } from "./relay-server.js";

// The relay's promise at a restart, in process with real sockets: what it journaled and
// acknowledged reaches a subscriber that was following it, whatever the restart cut short.

const cleanup = createCleanup();
afterEach(() => cleanup.run());

interface Setup {
  key: SigningKey;
  trust: TrustStore;
  inbound: string;
  outbound: string;
  journalFile: string;
}

async function setup(): Promise<Setup> {
  const { key } = makeSigner("git.restart01", ["org.example.*.git.#"]);
  const trust = parseTrustFile({
    version: 1,
    keys: { "git.restart01": { publicKey: key.publicKeyBase64, topics: ["org.example.*.git.#"] } },
  });
  return {
    key,
    trust,
    inbound: await tcpAddress(),
    outbound: await tcpAddress(),
    journalFile: join(mkdtempSync(join(tmpdir(), "herald-restart-")), "relay.journal"),
  };
}

/**
 * A relay whose outbound loses what `lost` picks after journaling it, as a relay killed between
 * its fsync and its publish does; its heartbeats say nothing of those either (it is dead).
 */
async function startRelayOf(s: Setup, lost: (envelope: Envelope) => boolean = () => false) {
  // libzmq releases a closed socket's ports in the background: a restart binds once they are free.
  return untilBound(() => tryStartRelayOf(s, lost), "the relay's ports free to bind");
}

async function tryStartRelayOf(s: Setup, lost: (envelope: Envelope) => boolean) {
  const publishing = await createZeroMqTransport({ bind: [s.outbound], heartbeatMs: 200 });
  const outbound: Transport = {
    name: publishing.name,
    send: (topic, body, id, stamp) =>
      lost(JSON.parse(body.toString("utf8")) as Envelope) ? Promise.resolve() : publishing.send(topic, body, id, stamp),
    subscribe: (patterns, handler) => publishing.subscribe(patterns, handler),
    close: () => publishing.close(),
    ...(lost === noneLost ? { announceHeld: (held) => publishing.announceHeld?.(held) } : {}),
  };
  const relay = await startRelay({ inbound: [s.inbound], outbound, trust: s.trust, journalFile: s.journalFile }).catch(
    async (error: unknown) => {
      await publishing.close();
      throw error;
    },
  );
  return { relay, publishing };
}
const noneLost = () => false;

async function subscriberOf(s: Setup) {
  const bus = createBus({
    schemas: "none",
    trust: s.trust,
    transport: await createZeroMqTransport({ connect: [s.outbound], relays: [s.inbound] }),
  });
  cleanup.add(() => bus.close());
  const subscription = await bus.subscribe(["org.example.#"], { bufferSize: 10 });
  return subscription;
}

/** Publishes `count` messages over `topics` topics through the relay; resolves with their ids. */
async function publish(s: Setup, count: number, topics: number, from = 0): Promise<string[]> {
  const client = createRelayClient({ relays: [s.inbound] });
  const ids: string[] = [];
  let next = from;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < from + count) {
        const n = next++;
        const envelope = signEnvelope(
          createEnvelope({ topic: `org.example.dev.git.t${n % topics}`, data: { n } }),
          s.key,
        );
        ids.push((await client.send(envelope)).id);
      }
    }),
  );
  await client.close();
  return ids;
}

const dataN = (envelope: Envelope) => (envelope.data as { n: number }).n;

describe("a relay restart", () => {
  it("announces what its journal holds, so the end of a burst its predecessor never published is fetched", async () => {
    const s = await setup();
    // The first relay journals and acknowledges 600 messages on 40 topics, and dies having
    // published only the first 400 of them.
    const first = await startRelayOf(s, (envelope) => dataN(envelope) >= 400);
    const subscription = await subscriberOf(s);
    await untilSubscribed(first.publishing);
    const received = new Set<string>();
    void (async () => {
      for await (const message of subscription) received.add(message.envelope.id);
    })();
    const sent = await publish(s, 600, 40);
    await until(() => received.size === 400, "the 400 the first relay published");
    await first.relay.close();

    // The second relay starts on the same journal and receives nothing new.
    const second = await startRelayOf(s, noneLost);
    cleanup.add(() => second.relay.close());
    await until(() => received.size === sent.length, `all ${sent.length} acknowledged messages`, 30_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}: ${received.size} received, stats ${JSON.stringify(subscription.stats)}`);
      },
    );
    expect(sent.every((id) => received.has(id))).toBe(true);
    expect(subscription.stats.lost).toBe(0);
  }, 60_000);

  it("does not end a journal fetch it interrupted: the fetch is asked again until the range is back", async () => {
    const s = await setup();
    // 5,000 of one topic acknowledged and never published (a cut between relay and subscriber),
    // then one that is: the subscriber sees the gap and fetches it, 1,000 per answer.
    const first = await startRelayOf(s, (envelope) => dataN(envelope) >= 10 && dataN(envelope) < 5010);
    const subscription = await subscriberOf(s);
    await untilSubscribed(first.publishing);
    const received = new Set<string>();
    let relay: Relay = first.relay;
    let restarted: Promise<void> | undefined;
    void (async () => {
      for await (const message of subscription) {
        received.add(message.envelope.id);
        // At the first fetched message the relay goes down, for longer than a fetch waits for
        // an answer (3 s): the fault under test, not a wait for something to be ready.
        if (message.recovered === true && restarted === undefined)
          restarted = (async () => {
            await relay.close();
            await new Promise((resolve) => setTimeout(resolve, outageMs));
            relay = (await startRelayOf(s, noneLost)).relay;
          })();
      }
    })();
    const sent = await publish(s, 5011, 1);
    cleanup.add(async () => {
      await restarted;
      await relay.close();
    });
    await until(() => received.size === sent.length, `all ${sent.length} acknowledged messages`, 60_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}: ${received.size} received, stats ${JSON.stringify(subscription.stats)}`);
      },
    );
    expect(restarted).toBeDefined();
    expect(subscription.stats.lost).toBe(0);
  }, 90_000);
});

/** How long the relay stays down in the interrupted fetch: past the fetcher's answer timeout. */
const outageMs = 4_000;
