import { randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  amqpBindings,
  createCleanup,
  deleteAmqpTopology,
  freePort,
  rabbitmqAvailable,
  runHerald,
  startHerald,
  startTestBus,
  testAmqpUrl,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const hasBroker = await rabbitmqAvailable();

async function total(api: string): Promise<number> {
  try {
    return ((await (await fetch(`${api}/herald/count`)).json()) as { total: number }).total;
  } catch {
    return -1;
  }
}

describe.skipIf(!hasBroker)("herald on RabbitMQ (transport = amqp)", () => {
  it("relays into RabbitMQ; tail and a store read it; a stopped store finds what it missed in its durable queue", async () => {
    const bus = await startTestBus({ keyid: "git.rabbit01", relay: false });
    const exchange = `herald.test.${randomBytes(4).toString("hex")}`;
    const queue = `${exchange}.store`;
    // The [amqp] table goes before the file's first table header, where top-level keys end.
    const toml = readFileSync(bus.config, "utf8");
    writeFileSync(bus.config, `transport = "amqp"\n${toml}`);
    appendFileSync(bus.config, `[amqp]\nurl = "${testAmqpUrl}"\nexchange = "${exchange}"\nqueue = "${queue}"\n`);
    // Registered first, so it runs last (after the processes stop), whether the test passes or not.
    cleanup.add(() => deleteAmqpTopology({ queues: [queue, `${queue}.dead`], exchanges: [exchange] }));
    await bus.startRelay();
    cleanup.add(() => bus.relay?.stop());
    expect(bus.relay?.output().stderr).toMatch(
      new RegExp(`outbound exchange ${exchange.replaceAll(".", "\\.")} at amqp://127\\.0\\.0\\.1:5672`),
    );

    const port = await freePort();
    const api = `http://127.0.0.1:${port}`;
    const db = `sqlite:${join(bus.dir, "store.sqlite")}`;
    const startStore = () => {
      const store = startHerald(["store", "--config", bus.config, "--db", db, "--http", String(port)]);
      cleanup.add(() => store.stop());
      return store;
    };
    let store = startStore();
    await store.waitFor(
      new RegExp(`reading exchange ${exchange.replaceAll(".", "\\.")} \\(queue ${queue.replaceAll(".", "\\.")}\\)`),
    );
    const bound = await amqpBindings(exchange);
    const tail = startHerald(["tail", "--config", bus.config, "--json", "--count", "3"]);
    cleanup.add(() => tail.stop());
    await until(async () => (await amqpBindings(exchange)) > bound, "the tail's queue bound to the exchange");

    const publish = (n: number) =>
      runHerald([
        "publish",
        "--config",
        bus.config,
        "--topic",
        "git.tag.create",
        "--data",
        JSON.stringify({
          repo: "herald",
          tag: `v${n}`,
          rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
          username: "alice",
        }),
      ]);
    for (const n of [1, 2, 3]) expect((await publish(n)).code).toBe(0);
    expect(await tail.exited).toBe(0);
    const lines = tail.output().stdout.trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { data: { tag: string } }).data.tag)).toEqual(["v1", "v2", "v3"]);
    const verified = await runHerald(["verify", "--trust", bus.trustFile], { input: tail.output().stdout });
    expect(verified.stdout).toBe("valid\nvalid\nvalid\n");
    let count = -1;
    const poll = async () => {
      count = await total(api);
    };
    const wait = async (want: number) => {
      const deadline = Date.now() + 15_000;
      while (count !== want && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await poll();
      }
      expect(count).toBe(want);
    };
    await wait(3);

    // The store stops; two messages wait in its durable queue; it starts again and stores them.
    expect(await store.stop("SIGTERM")).toBe(0);
    for (const n of [4, 5]) expect((await publish(n)).code).toBe(0);
    store = startStore();
    count = -1;
    await wait(5);
  }, 90_000);
});
