import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEnvelope, type Envelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import {
  createCleanup,
  freePort,
  rabbitmqClusterAvailable,
  startHerald,
  startRabbitCluster,
  startTestBus,
  until,
  untilArchived,
} from "@herald/test-support";
import { createRelayClient } from "@herald/transport-zeromq";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

describe.skipIf(!rabbitmqClusterAvailable())("herald on a three-node RabbitMQ cluster", () => {
  it("loses no confirmed message when the node everyone is connected to is SIGKILLed mid-stream", async () => {
    const cluster = await startRabbitCluster();
    cleanup.add(() => cluster.stop());
    const bus = await startTestBus({ keyid: "git.cluster01", relay: false });
    writeFileSync(bus.config, `transport = "amqp"\n${readFileSync(bus.config, "utf8")}`);
    appendFileSync(
      bus.config,
      `[amqp]\nurls = ${JSON.stringify(cluster.urls)}\nexchange = "herald.cluster"\nqueue = "herald.cluster.store"\n`,
    );
    await bus.startRelay();
    cleanup.add(() => bus.relay?.stop());
    const port = await freePort();
    const store = startHerald([
      "store",
      "--config",
      bus.config,
      "--db",
      join(bus.dir, "store.sqlite"),
      "--http",
      String(port),
    ]);
    cleanup.add(() => store.stop());
    await store.waitFor(/ready/, 20_000);

    const key = loadSigningKey(bus.keyFile, "git.cluster01");
    const client = createRelayClient({ relays: [bus.inbound], timeoutMs: 5000 });
    cleanup.add(() => client.close());
    const total = 6000;
    const acknowledged = new Set<string>();
    let failures = 0;
    // The distinct reasons sends were refused for, with how often: what a failed run is read by.
    const reasons = new Map<string, number>();
    let next = 0;
    const publishers = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < total) {
          const envelope: Envelope = signEnvelope(
            createEnvelope({ topic: "org.example.dev.git.receive", data: { n: next++ } }),
            key,
          );
          // Not confirmed while the cluster fails over: sent again, with its id, until it is.
          for (;;) {
            try {
              acknowledged.add((await client.send(envelope)).id);
              break;
            } catch (error) {
              failures++;
              const reason = (error as Error).message.replace(/[0-9a-f-]{36}/g, "<id>");
              reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
              // A short backoff while the cluster fails over, not a wait for anything.
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          }
        }
      }),
    );
    await until(() => acknowledged.size >= total / 3, "a third of the stream", 120_000);
    await cluster.kill(0);
    await until(() => acknowledged.size >= (2 * total) / 3, "two thirds of the stream, on two nodes", 120_000).catch(
      (error: Error) => {
        // What the relay said while it failed over is what a flaky run needs to be understood.
        throw new Error(
          `${error.message}: ${acknowledged.size} of ${total} acknowledged, ${failures} failed sends (${[...reasons].map(([reason, count]) => `${count}× ${reason}`).join("; ")}); the relay said: ${bus.relay?.output().stderr.slice(-2000)}`,
        );
      },
    );
    await cluster.start(0);
    await publishers;

    const ids = await untilArchived(`http://127.0.0.1:${port}`, total);
    const have = new Set(ids);
    expect([...acknowledged].filter((id) => !have.has(id))).toEqual([]);
    expect(ids.length).toBe(have.size);
    console.log(
      `RabbitMQ cluster: node 1 of 3 SIGKILLed mid-stream; ${acknowledged.size} confirmed, ${have.size} archived once each (${failures} sends retried during failover)`,
    );
  }, 300_000);
});
