import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  amqpQueueDepth,
  createCleanup,
  deleteAmqpTopology,
  freePort,
  metricSample,
  publishWithHerald,
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

// Consumers as a user writes them, outside the repository: plain modules whose default export is
// what defineConsumer returns. Two record what they handled; one throws on every message.
const recorder = (name: string) => `
import { appendFileSync } from "node:fs";
export default {
  name: "${name}",
  topics: ["account.user.create"],
  async handle(message, context) {
    appendFileSync(context.settings.out, message.data.username + "\\n");
  },
};
`;
const broken = `
export default {
  name: "broken",
  topics: ["account.user.create"],
  handle() { throw new Error("the tracker is down"); },
};
`;

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

describe("herald hub", () => {
  it("keeps two consumers working while a third throws on every message: retried, then isolated, and metrics say so", async () => {
    const bus = await startTestBus({ keyid: "account.hub01" });
    cleanup.add(() => bus.relay?.stop());
    const consumers = join(bus.dir, "consumers");
    mkdirSync(consumers);
    writeFileSync(join(consumers, "archive.mjs"), recorder("archive"));
    writeFileSync(join(consumers, "welcome.mjs"), recorder("welcome"));
    writeFileSync(join(consumers, "broken.mjs"), broken);
    const http = await freePort();
    appendFileSync(
      bus.config,
      [
        "[hub]",
        `http_port = ${http}`,
        "attempts = 2",
        "retry_delay_ms = 50",
        "isolate_after = 3",
        "timeout_ms = 2000",
        "[[hub.consumers]]",
        'module = "./consumers/archive.mjs"',
        `settings = { out = "${join(bus.dir, "archive.txt")}" }`,
        "[[hub.consumers]]",
        'module = "./consumers/welcome.mjs"',
        `settings = { out = "${join(bus.dir, "welcome.txt")}" }`,
        "[[hub.consumers]]",
        'module = "./consumers/broken.mjs"',
        "",
      ].join("\n"),
    );
    // One subscriber per consumer: each has all its subscriptions in place before the first message.
    const hub = await bus.joined(() => startHerald(["hub", "--config", bus.config]), 3);
    cleanup.add(() => hub.stop());
    await hub.waitFor(/ready: archive, welcome, broken/);

    const users = ["ada", "bob", "cyd", "dee", "eve"];
    for (const username of users) {
      const result = await publishWithHerald(bus.config, "account.user.create", { username });
      expect(result.code).toBe(0);
    }
    await until(
      () => lines(join(bus.dir, "archive.txt")).length === 5 && lines(join(bus.dir, "welcome.txt")).length === 5,
      "both healthy consumers to handle all five",
    );
    expect(lines(join(bus.dir, "archive.txt"))).toEqual(users);
    expect(lines(join(bus.dir, "welcome.txt"))).toEqual(users);

    const base = `http://127.0.0.1:${http}`;
    const page = await (await fetch(`${base}/metrics`)).text();
    const sample = (name: string, consumer: string) => metricSample(page, name, { consumer });
    expect(sample("herald_consumer_handled_total", "archive")).toBe(5);
    expect(sample("herald_consumer_handled_total", "welcome")).toBe(5);
    // Three messages failed twice each (one retry apiece); then it was isolated and tried no more.
    expect(sample("herald_consumer_failed_total", "broken")).toBe(3);
    expect(sample("herald_consumer_retries_total", "broken")).toBe(3);
    expect(sample("herald_consumer_handled_total", "broken")).toBe(0);
    expect(sample("herald_consumer_isolated", "broken")).toBe(1);
    expect(sample("herald_consumer_isolated", "archive")).toBe(0);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      ok: false,
      consumers: {
        archive: { state: "running", handled: 5 },
        broken: { state: "isolated", failed: 3, lastError: "the tracker is down" },
      },
    });
    expect(hub.output().stderr).toMatch(/hub broken: error: isolated: 3 messages in a row failed/);

    const resumed = await fetch(`${base}/consumers/broken/resume`, { method: "POST" });
    expect(await resumed.json()).toEqual({ consumer: "broken", resumed: true });
    const after = (await (await fetch(`${base}/healthz`)).json()) as { consumers: Record<string, { state: string }> };
    expect(after.consumers.broken?.state).toBe("running");
  }, 60_000);

  it("runs each consumer in a thread of its own: one that calls process.exit or blocks for 20 s stops neither the hub nor the others", async () => {
    const bus = await startTestBus({ keyid: "account.hub09" });
    cleanup.add(() => bus.relay?.stop());
    const consumers = join(bus.dir, "consumers");
    mkdirSync(consumers);
    writeFileSync(join(consumers, "archive.mjs"), recorder("archive"));
    // "exit" ends the whole process when it runs in the hub's thread; "spin" holds the thread it runs in for 20 s.
    writeFileSync(
      join(consumers, "quitter.mjs"),
      `import { appendFileSync } from "node:fs";
export default {
  name: "quitter",
  topics: ["account.user.create"],
  handle(message, context) {
    if (message.data.username === "exit") process.exit(3);
    appendFileSync(context.settings.out, message.data.username + "\\n");
  },
};
`,
    );
    writeFileSync(
      join(consumers, "spinner.mjs"),
      `import { appendFileSync } from "node:fs";
export default {
  name: "spinner",
  topics: ["account.user.create"],
  handle(message, context) {
    if (message.data.username === "spin") { const end = Date.now() + 20000; while (Date.now() < end) {} }
    appendFileSync(context.settings.out, message.data.username + "\\n");
  },
};
`,
    );
    const http = await freePort();
    const out = (name: string) => join(bus.dir, `${name}.txt`);
    appendFileSync(
      bus.config,
      [
        "[hub]",
        `http_port = ${http}`,
        "attempts = 2",
        "retry_delay_ms = 50",
        // Longer than the 2 s a stuck thread is given to answer, so the retry runs in its replacement.
        "timeout_ms = 3000",
        // One message at a time for the two that break, so each attempt has a thread to itself and
        // the counts below are exact (a thread that ends fails every attempt it was running).
        ...["archive", "quitter", "spinner"].flatMap((name) => [
          "[[hub.consumers]]",
          `module = "./consumers/${name}.mjs"`,
          `settings = { out = "${out(name)}" }`,
          ...(name === "archive" ? [] : ["concurrency = 1"]),
        ]),
        "",
      ].join("\n"),
    );
    // One subscriber per consumer: each has all its subscriptions in place before the first message.
    const hub = await bus.joined(() => startHerald(["hub", "--config", bus.config]), 3);
    cleanup.add(() => hub.stop());
    await hub.waitFor(/ready: archive, quitter, spinner/);
    const base = `http://127.0.0.1:${http}`;

    for (const username of ["ada", "exit", "spin"]) {
      const result = await publishWithHerald(bus.config, "account.user.create", { username });
      expect(result.code).toBe(0);
    }
    // While the spinner's thread is stuck in its loop, the hub answers and the others go on.
    const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
    expect(health.status).toBe(200);
    for (const username of ["bob", "cyd"]) {
      const result = await publishWithHerald(bus.config, "account.user.create", { username });
      expect(result.code).toBe(0);
    }
    await until(() => lines(out("archive")).length === 5, "the archive to handle all five", 15_000);
    await until(() => lines(out("quitter")).length === 4, "the quitter to handle all but exit", 15_000);
    await until(() => lines(out("spinner")).length === 4, "the spinner to handle all but spin", 30_000);
    // The order is the proof that the loop was cut short, without a wall-clock bound that a loaded
    // machine can break: had the spinner's thread run its 20 s loop to the end, it would have written
    // "spin" before "bob" (one message at a time), instead of being stopped at the timeout and replaced.
    expect(lines(out("archive"))).toEqual(["ada", "exit", "spin", "bob", "cyd"]);
    expect(lines(out("quitter"))).toEqual(["ada", "spin", "bob", "cyd"]);
    expect(lines(out("spinner"))).toEqual(["ada", "exit", "bob", "cyd"]);
    expect(hub.child.exitCode).toBeNull();

    const stderr = hub.output().stderr;
    expect(stderr).toMatch(/hub quitter: error: its thread exited with code 3; a new one starts/);
    expect(stderr).toMatch(/hub spinner: error: its thread was stopped: it did not answer for 2000 ms/);
    const page = await (await fetch(`${base}/metrics`)).text();
    // "exit" and "spin" each failed twice (one retry), each attempt ending its thread.
    expect(metricSample(page, "herald_consumer_thread_restarts_total", { consumer: "quitter" })).toBe(2);
    expect(metricSample(page, "herald_consumer_thread_restarts_total", { consumer: "spinner" })).toBe(2);
    expect(metricSample(page, "herald_consumer_thread_restarts_total", { consumer: "archive" })).toBe(0);
    const body = (await (await fetch(`${base}/healthz`)).json()) as {
      consumers: Record<string, { threadRestarts: number; lastThreadExit?: string; failed: number }>;
    };
    expect(body.consumers.quitter).toMatchObject({
      threadRestarts: 2,
      failed: 1,
      lastThreadExit: "exited with code 3",
    });
    expect(body.consumers.spinner?.failed).toBe(1);
  }, 90_000);

  it("lets a consumer publish, signed with the hub's key, for other consumers to react to", async () => {
    const bus = await startTestBus({
      keyid: "account.hub05",
      topics: ["org.example.*.account.#", "org.example.*.logger.#"],
    });
    cleanup.add(() => bus.relay?.stop());
    writeFileSync(
      join(bus.dir, "announce.mjs"),
      `export default {
  name: "announce",
  topics: ["account.user.create"],
  async handle(message, context) {
    await context.publish("logger.log", { text: "welcome " + message.data.username });
  },
};`,
    );
    const heard = join(bus.dir, "heard.txt");
    writeFileSync(
      join(bus.dir, "listen.mjs"),
      `import { appendFileSync } from "node:fs";
export default {
  name: "listen",
  topics: ["logger.log"],
  handle(message) { appendFileSync(${JSON.stringify(heard)}, message.envelope.keyid + " " + message.data.text + "\\n"); },
};`,
    );
    appendFileSync(
      bus.config,
      [
        "[hub]",
        "http_port = 0",
        "[[hub.consumers]]",
        'module = "./announce.mjs"',
        "[[hub.consumers]]",
        'module = "./listen.mjs"',
        "",
      ].join("\n"),
    );
    // One subscriber per consumer: each has all its subscriptions in place before the first message.
    const hub = await bus.joined(() => startHerald(["hub", "--config", bus.config]), 2);
    cleanup.add(() => hub.stop());
    await hub.waitFor(/ready: announce, listen/);
    const result = await publishWithHerald(bus.config, "account.user.create", { username: "dora" });
    expect(result.code).toBe(0);
    await until(() => lines(heard).length === 1, "the listener to hear the announcement");
    expect(lines(heard)).toEqual(["account.hub05 welcome dora"]);
  }, 60_000);

  it("refuses to start when a configured consumer is not a consumer, naming the module", async () => {
    const bus = await startTestBus({ keyid: "account.hub02", relay: false });
    writeFileSync(
      join(bus.dir, "typo.mjs"),
      'export default { name: "typo", topics: ["acount.user.create"], handle() {} };',
    );
    appendFileSync(bus.config, '[[hub.consumers]]\nmodule = "./typo.mjs"\n');
    const result = await runHerald(["hub", "--config", bus.config]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/typo\.mjs: topics: unknown event\(s\) "acount\.user\.create"$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(!(await rabbitmqAvailable()))("herald hub on RabbitMQ", () => {
  it("gives each consumer its own durable queue, acknowledges after the handler, dead-letters what keeps failing, and keeps an isolated consumer's messages waiting", async () => {
    const bus = await startTestBus({ keyid: "account.hub04", relay: false });
    const exchange = `herald.test.${randomBytes(4).toString("hex")}`;
    // Each consumer's queue is named by the exchange: this test's own, whatever else uses the broker.
    const queues = ["archive", "broken", "flaky"]
      .map((name) => `${exchange}.hub.${name}`)
      .flatMap((queue) => [queue, `${queue}.dead`]);
    cleanup.add(() => deleteAmqpTopology({ queues, exchanges: [exchange] }));
    const consumers = join(bus.dir, "consumers");
    mkdirSync(consumers);
    writeFileSync(join(consumers, "archive.mjs"), recorder("archive"));
    writeFileSync(join(consumers, "broken.mjs"), broken);
    writeFileSync(join(consumers, "flaky.mjs"), broken.replace('name: "broken"', 'name: "flaky"'));
    writeFileSync(bus.config, `transport = "amqp"\n${readFileSync(bus.config, "utf8")}`);
    appendFileSync(
      bus.config,
      [
        "[amqp]",
        `url = "${testAmqpUrl}"`,
        `exchange = "${exchange}"`,
        "delivery_limit = 1",
        "[hub]",
        "http_port = 0",
        "attempts = 1",
        "retry_delay_ms = 10",
        "isolate_after = 100",
        "[[hub.consumers]]",
        'module = "./consumers/archive.mjs"',
        `settings = { out = "${join(bus.dir, "archive.txt")}" }`,
        "[[hub.consumers]]",
        'module = "./consumers/broken.mjs"',
        "[[hub.consumers]]",
        'module = "./consumers/flaky.mjs"',
        "isolate_after = 1",
        "",
      ].join("\n"),
    );
    await bus.startRelay();
    cleanup.add(() => bus.relay?.stop());
    const hub = startHerald(["hub", "--config", bus.config]);
    cleanup.add(() => hub.stop());
    await hub.waitFor(/ready: archive, broken, flaky on exchange/);
    for (const username of ["ann", "bea", "cy"]) {
      const result = await publishWithHerald(bus.config, "account.user.create", { username });
      expect(result.code).toBe(0);
    }
    await until(() => lines(join(bus.dir, "archive.txt")).length === 3, "archive to handle all three");
    expect(lines(join(bus.dir, "archive.txt")).sort()).toEqual(["ann", "bea", "cy"]);
    // broken threw on every delivery: past the delivery limit each message went to its dead-letter queue.
    let dead = 0;
    for (let tries = 0; tries < 100 && dead !== 3; tries++) {
      dead = await amqpQueueDepth(`${exchange}.hub.broken.dead`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(dead).toBe(3);
    expect(await amqpQueueDepth(`${exchange}.hub.archive.dead`)).toBe(0);
    // flaky was isolated at its first failure: its messages wait in its queue for it to come back.
    await hub.waitFor(/hub flaky: error: isolated/);
    let waiting = 0;
    for (let tries = 0; tries < 100 && waiting !== 3; tries++) {
      waiting = await amqpQueueDepth(`${exchange}.hub.flaky`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(waiting).toBe(3);
  }, 60_000);
});

describe("herald consumer check", () => {
  it("passes a well-behaved consumer and fails one that is not idempotent or leaks a secret", async () => {
    const bus = await startTestBus({ keyid: "account.hub03", relay: false });
    writeFileSync(
      join(bus.dir, "good.mjs"),
      recorder("good").replace("context.settings.out", `"${join(bus.dir, "good.txt")}"`),
    );
    const good = await runHerald(["consumer", "check", join(bus.dir, "good.mjs"), "--config", bus.config]);
    expect(good.stdout).toMatch(/pass idempotent/);
    expect(good.code).toBe(0);

    writeFileSync(
      join(bus.dir, "bad.mjs"),
      `const seen = new Set();
export default {
  name: "bad",
  topics: ["account.user.create"],
  async handle(message, context) {
    if (seen.has(message.data.username)) throw new Error("user already exists");
    seen.add(message.data.username);
    context.logger.info("logging in with " + context.settings.api_token);
  },
};`,
    );
    appendFileSync(bus.config, `[[hub.consumers]]\nmodule = "./bad.mjs"\nsettings = { api_token = "s3cr3t-t0ken" }\n`);
    const bad = await runHerald(["consumer", "check", "./bad.mjs", "--config", bus.config, "--json"], { cwd: bus.dir });
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { ok: boolean; findings: { rule: string; ok: boolean; detail: string }[] };
    expect(report.ok).toBe(false);
    const byRule = Object.fromEntries(report.findings.map((finding) => [finding.rule, finding]));
    expect(byRule.idempotent).toMatchObject({ ok: false, detail: expect.stringContaining("user already exists") });
    expect(byRule["no secrets in messages"]).toMatchObject({
      ok: false,
      detail: "the value of setting api_token was logged",
    });
    expect(byRule["bounded time"]?.ok).toBe(true);

    // A module that is not there could not be checked at all: an I/O mistake (2), not a finding (1).
    const missing = await runHerald(["consumer", "check", "./missing.mjs", "--config", bus.config], { cwd: bus.dir });
    expect([missing.code, missing.stderr]).toEqual([2, "herald: cannot read ./missing.mjs: ENOENT\n"]);
  });
});
