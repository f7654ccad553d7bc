import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEnvelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import {
  createCleanup,
  deleteAmqpTopology,
  freePort,
  type RunningProcess,
  rabbitmqAvailable,
  startHerald,
  startTestBus,
  testAmqpUrl,
  until,
  untilArchived,
} from "@herald/test-support";
import { createRelayClient } from "@herald/transport-zeromq";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const hasBroker = await rabbitmqAvailable();

/** Messages the broker delivered to a consumer that it has not acknowledged yet. */
function unacknowledged(queue: string): number {
  const lines = execFileSync("rabbitmqctl", ["-q", "list_queues", "name", "messages_unacknowledged"], {
    encoding: "utf8",
  }).split("\n");
  const row = lines.find((line) => line.split("\t")[0] === queue);
  return Number(row?.split("\t")[1] ?? Number.NaN);
}

describe.skipIf(!hasBroker)("herald store on RabbitMQ, SIGKILLed mid-stream", () => {
  it("acknowledges a message only once its batch committed: 5 kills in 20,000 lose nothing, store nothing twice", async () => {
    const bus = await startTestBus({ keyid: "git.rabbitkill01", relay: false });
    const exchange = `herald.test.${randomBytes(4).toString("hex")}`;
    const queue = `${exchange}.store`;
    writeFileSync(bus.config, `transport = "amqp"\n${readFileSync(bus.config, "utf8")}`);
    appendFileSync(bus.config, `[amqp]\nurl = "${testAmqpUrl}"\nexchange = "${exchange}"\nqueue = "${queue}"\n`);
    cleanup.add(() => deleteAmqpTopology({ queues: [queue, `${queue}.dead`], exchanges: [exchange] }));
    await bus.startRelay();
    cleanup.add(() => bus.relay?.stop());

    const port = await freePort();
    const db = `sqlite:${join(bus.dir, "store.sqlite")}`;
    let store: RunningProcess | undefined;
    const startStore = async () => {
      const started = startHerald(["store", "--config", bus.config, "--db", db, "--http", String(port)]);
      cleanup.add(() => started.stop("SIGKILL"));
      store = started;
      await started.waitFor(/ready/, 20_000);
    };
    await startStore();

    const key = loadSigningKey(bus.keyFile, "git.rabbitkill01");
    const client = createRelayClient({ relays: [bus.inbound], timeoutMs: 5000 });
    cleanup.add(() => client.close());
    const total = 20_000;
    const acknowledged = new Set<string>();
    let next = 0;
    const publishers = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < total) {
          const n = next++;
          const envelope = signEnvelope(createEnvelope({ topic: "org.example.dev.git.receive", data: { n } }), key);
          acknowledged.add((await client.send(envelope)).id);
        }
      }),
    );
    // The store is SIGKILLed 5 times while the stream runs, and started again at once.
    let kills = 0;
    for (; kills < 5; kills++) {
      await until(
        () => acknowledged.size >= ((kills + 1) * total) / 7,
        `${kills + 1} seventh(s) of the stream`,
        60_000,
      );
      await store?.stop("SIGKILL");
      await startStore();
    }
    await publishers;
    expect(acknowledged.size).toBe(total);

    // Every acknowledged id is archived, exactly once.
    const ids = await untilArchived(`http://127.0.0.1:${port}`, total);
    const have = new Set(ids);
    expect([...acknowledged].filter((id) => !have.has(id))).toEqual([]);
    expect(ids.length).toBe(have.size);

    // Nothing is left unacknowledged after the backlog, and SIGTERM ends it by itself, exit 0.
    await until(() => unacknowledged(queue) === 0, "no unacknowledged message in the queue", 20_000);
    expect(await store?.stop("SIGTERM")).toBe(0);
    console.log(`store on RabbitMQ: ${kills} SIGKILLs in ${total} messages, ${have.size} archived once each`);
  }, 240_000);
});
