import { join } from "node:path";
import { createEnvelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import {
  createCleanup,
  freePort,
  type RunningProcess,
  startHerald,
  startTestBus,
  until,
  untilArchived,
} from "@herald/test-support";
import { createRelayClient } from "@herald/transport-zeromq";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

describe("herald store on ZeroMQ behind a relay, SIGKILLed mid-stream", () => {
  it("archives every acknowledged id once, with no peer: what it missed while down is fetched from the journal", async () => {
    const bus = await startTestBus({ keyid: "git.zmqkill01" });
    cleanup.add(() => bus.relay?.stop());
    const port = await freePort();
    const db = `sqlite:${join(bus.dir, "store.sqlite")}`;
    // Its series marks live in its state folder, kept across its restarts.
    const env = { HERALD_STATE_DIR: join(bus.dir, "store-state") };
    let store: RunningProcess | undefined;
    const startStore = async () => {
      const started = startHerald(["store", "--config", bus.config, "--db", db, "--http", String(port)], { env });
      cleanup.add(() => started.stop("SIGKILL"));
      store = started;
      await started.waitFor(/ready/, 30_000);
    };
    await bus.joined(startStore);

    const key = loadSigningKey(bus.keyFile, "git.zmqkill01");
    const client = createRelayClient({ relays: [bus.inbound], timeoutMs: 5000 });
    cleanup.add(() => client.close());
    const total = 10_000;
    const acknowledged = new Set<string>();
    let next = 0;
    const publishers = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          const n = next++;
          const topic = `org.example.dev.git.t${n % 5}`;
          acknowledged.add((await client.send(signEnvelope(createEnvelope({ topic, data: { n } }), key))).id);
        }
      }),
    );
    // SIGKILLed 4 times while the stream runs; each time it stays down until more went by.
    let kills = 0;
    for (; kills < 4; kills++) {
      await until(() => acknowledged.size >= ((kills + 1) * total) / 6, `${kills + 1} sixth(s) of the stream`, 90_000);
      await store?.stop("SIGKILL");
      const down = acknowledged.size;
      await until(() => acknowledged.size >= down + 200, "200 more acknowledged while the store is down", 60_000);
      await startStore();
    }
    await publishers;
    expect(acknowledged.size).toBe(total);

    // Every acknowledged id is archived, exactly once: no peer, only the relay's journal.
    const ids = await untilArchived(`http://127.0.0.1:${port}`, total, 90_000);
    const have = new Set(ids);
    expect([...acknowledged].filter((id) => !have.has(id))).toEqual([]);
    expect(ids.length).toBe(have.size);
    expect(await store?.stop("SIGTERM")).toBe(0);
    console.log(`store on ZeroMQ: ${kills} SIGKILLs in ${total} messages, ${have.size} archived once each`);
  }, 300_000);
});
