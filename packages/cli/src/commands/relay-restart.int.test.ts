import { join } from "node:path";
import { createBus, createEnvelope, loadSigningKey, loadTrustFile, signEnvelope } from "@herald/sdk";
import { createCleanup, freePort, startHerald, startTestBus, until } from "@herald/test-support";
import { createRelayClient, createZeroMqTransport } from "@herald/transport-zeromq";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

// Forty topics: a kill leaves the last messages of many topics with nothing after them, so only
// the restarted relay's heartbeats (which name every topic its journal holds) can show them.
const topics = Array.from({ length: 40 }, (_, k) => `org.example.dev.git.t${k}`);

describe("herald relay SIGKILLed and restarted under load", () => {
  it("loses no acknowledged message: subscribers fetch what a restart hid from the relay's journal", async () => {
    const bus = await startTestBus({ keyid: "git.restart01" });
    cleanup.add(() => bus.relay?.stop("SIGKILL"));
    const key = loadSigningKey(bus.keyFile, "git.restart01");

    // Three subscribers that never restart: `herald store`, `herald tail` and an SDK Bus.
    const storePort = await freePort();
    const store = await bus.joined(() =>
      startHerald(["store", "--config", bus.config, "--db", join(bus.dir, "archive.db"), "--http", String(storePort)]),
    );
    cleanup.add(() => store.stop());
    await store.waitFor(/ready/);
    const tail = await bus.joined(() =>
      startHerald(["tail", "--config", bus.config, "--json", "--topic", "org.example.dev.git.#"]),
    );
    cleanup.add(() => tail.stop());
    const transport = await createZeroMqTransport({ connect: [bus.outbound], relays: [bus.inbound] });
    const sdkBus = createBus({ transport, trust: loadTrustFile(bus.trustFile), schemas: "none" });
    cleanup.add(() => sdkBus.close());
    const received = new Map<string, number>();
    let recovered = 0;
    const subscription = await bus.joined(() => sdkBus.subscribe(["org.example.dev.git.#"]));
    void (async () => {
      for await (const message of subscription) {
        received.set(message.envelope.id, (received.get(message.envelope.id) ?? 0) + 1);
        if (message.recovered) recovered++;
      }
    })();

    // 20 publishers in a loop while the relay is SIGKILLed and restarted 5 times.
    const client = createRelayClient({ relays: [bus.inbound], timeoutMs: 500 });
    cleanup.add(() => client.close());
    const acknowledged = new Set<string>();
    let failures = 0;
    const unanswered: ReturnType<typeof signEnvelope>[] = [];
    let stopping = false;
    let n = 0;
    const publisher = async () => {
      while (!stopping) {
        const envelope = signEnvelope(
          createEnvelope({ topic: topics[n % topics.length] as string, data: { n: n++ } }),
          key,
        );
        try {
          acknowledged.add((await client.send(envelope)).id);
        } catch {
          // Not acknowledged (the relay was down, or died before its answer): it may or may not
          // arrive, and need not — unless it is posted again (below).
          unanswered.push(envelope);
          failures++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const publishers = Promise.all(Array.from({ length: 20 }, publisher));
    // Each relay lives until it has acknowledged 200 more messages, and is restarted once the
    // publishers have felt it gone: counts, not a clock, so a slow machine only runs longer.
    const acknowledgedMore = async (count: number) => {
      const from = acknowledged.size;
      await until(() => acknowledged.size >= from + count, `${count} more acknowledged`, 60_000);
    };
    let restarts = 0;
    for (; restarts < 5; restarts++) {
      await acknowledgedMore(200);
      await bus.relay?.stop("SIGKILL");
      const failed = failures;
      await until(() => failures > failed, "a publisher to find the relay gone", 30_000);
      await bus.startRelay();
    }
    await acknowledgedMore(200);
    // The last kill ends the burst: nothing is published after it but what its publishers post
    // again, which a relay that journaled them answers as repeats.
    await bus.relay?.stop("SIGKILL");
    stopping = true;
    await publishers;
    await bus.startRelay();
    // As a publisher retries: until the restarted relay answers each (a loaded machine may be slow to).
    for (const envelope of unanswered)
      await until(
        () =>
          client.send(envelope).then(
            (ack) => acknowledged.add(ack.id) !== undefined,
            () => false,
          ),
        `the relay to answer ${envelope.id} again`,
        60_000,
      );

    await until(
      () => [...acknowledged].every((id) => received.has(id)),
      "every acknowledged id at the subscriber",
      30_000,
    );
    const duplicates = [...received.values()].filter((count) => count > 1);
    expect(duplicates).toEqual([]);
    // The restarts did hide messages from the live stream, and the journal gave them back.
    expect(recovered).toBeGreaterThan(0);

    await until(
      () => {
        const seen = new Set(
          tail
            .output()
            .stdout.split("\n")
            .flatMap((line) => (line ? [JSON.parse(line).id] : [])),
        );
        return [...acknowledged].every((id) => seen.has(id));
      },
      "every acknowledged id in herald tail",
      30_000,
    );
    // The archive holds each acknowledged id exactly once.
    const archived = async () => {
      const response = await fetch(`http://127.0.0.1:${storePort}/herald/export`);
      return (await response.text()).split("\n").flatMap((line) => (line ? [JSON.parse(line).id as string] : []));
    };
    let ids: string[] = [];
    await until(
      async () => {
        ids = await archived();
        const stored = new Set(ids);
        return [...acknowledged].every((id) => stored.has(id));
      },
      "every acknowledged id in the archive",
      30_000,
    ).catch(() => {});
    const have = new Set(ids);
    expect([...acknowledged].filter((id) => !have.has(id))).toEqual([]);
    expect(ids.length).toBe(new Set(ids).size);
    console.log(
      `relay restarts: ${restarts}, acknowledged ${acknowledged.size}, all received; ${recovered} recovered from the journal`,
    );
  }, 120_000);
});
