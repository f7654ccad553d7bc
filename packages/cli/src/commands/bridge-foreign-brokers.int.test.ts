import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogue } from "@herald/schemas";
import {
  appAvailable,
  createCleanup,
  metricSample,
  processMetrics,
  type RunningProcess,
  runHerald,
  startActiveMq,
  startAmqp10Broker,
  startHerald,
  startTestBus,
  type TestAmqp10Broker,
  type TestBus,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

// Bugzilla's messages as Red Hat's bus carries them (VirtualTopic.eng.bugzilla.*), read by the
// amqp10 and stomp bridges from real brokers: RabbitMQ with its AMQP 1.0 plugin over TLS with SASL
// EXTERNAL, and Debian's ActiveMQ over STOMP with virtual topics.

const cleanup = createCleanup();
afterAll(() => cleanup.run());

const example = (name: string) => {
  const found = catalogue.find((schema) => schema.name === name);
  if (found === undefined) throw new Error(`no schema ${name}`);
  return found.examples[0] as Record<string, unknown>;
};

/** What Bugzilla sends, as `{ event, body }`, with what each must become on the bus. */
const bugzillaEvents = [
  { event: "bug.create", body: example("bugzilla.bug.create") },
  { event: "bug.modify", body: example("bugzilla.bug.modify") },
  { event: "comment.create", body: example("bugzilla.comment.create") },
];

/** A modification of bug `n`, for the stream the bridge is killed in. */
const modification = (n: number) => ({
  ...example("bugzilla.bug.modify"),
  event: { ...(example("bugzilla.bug.modify").event as object), bug_id: n + 1 },
});

const rules = ["[[bridges.rules]]", 'match = "VirtualTopic.eng.bugzilla.#"', 'topic = "org.example.prod.bugzilla.{1}"'];

/** The bridge's `[[bridges]]` entry for the Bugzilla example, with each event's schema. */
const bugzillaBridge = (lines: string[]) =>
  [
    "[bridge]",
    "http_port = 0",
    "[[bridges]]",
    'name = "bugzilla"',
    ...lines,
    ...["bug.create", "bug.modify", "comment.create"].flatMap((event) => [
      "[[bridges.rules]]",
      `match = "VirtualTopic.eng.bugzilla.${event}"`,
      `topic = "org.example.prod.bugzilla.${event}"`,
      `schema = "bugzilla.${event}/1.0"`,
    ]),
    // Anything else Bugzilla says (attachment.create…) still crosses, without a schema.
    ...rules,
    "",
  ].join("\n");

interface Source {
  /** Publishes `[destination key, JSON text, id]` and resolves once the broker confirmed each. */
  publish(messages: readonly { key: string; body: string; id: string }[]): Promise<void>;
  /** Resolves once the poison and the private message left the source for good. */
  settled(): Promise<void>;
  /** SIGKILLs the broker and starts it again, running `whileDown` in between. */
  restart(whileDown: () => Promise<void>): Promise<void>;
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "");
const envelopesIn = (tail: RunningProcess) =>
  lines(tail.output().stdout).map((line) => JSON.parse(line) as { id: string; type: string; data: unknown });

/**
 * The scenario both kinds pass: messages published while the bridge is stopped arrive once it
 * starts, signed, on their topics, with their schemas; a poison message and a message its schema
 * refuses are each rejected once with a logged reason; the bridge SIGKILLed mid-stream loses none of
 * what the broker had confirmed.
 */
async function bridgesBugzilla(bus: TestBus, source: Source, kind: string): Promise<void> {
  const [tail, human] = await bus.joined(
    () => [startHerald(["tail", "--config", bus.config, "--json"]), startHerald(["tail", "--config", bus.config])],
    2,
  );
  cleanup.add(() => tail.stop());
  cleanup.add(() => human.stop());

  // Published while the bridge is stopped.
  await source.publish([
    ...bugzillaEvents.map(({ event, body }, index) => ({
      key: `VirtualTopic.eng.bugzilla.${event}`,
      body: JSON.stringify(body),
      id: `bz-${index}`,
    })),
    { key: "VirtualTopic.eng.bugzilla.bug.create", body: "<html>not json</html>", id: "bz-poison" },
    // Larger than any Herald message: refused as one message, held in bounded memory meanwhile.
    {
      key: "VirtualTopic.eng.bugzilla.comment.create",
      body: JSON.stringify({ padding: "x".repeat(3 * 1024 * 1024) }),
      id: "bz-huge",
    },
    // A private bug's modification: Bugzilla leaves the bug out, so its schema refuses it.
    {
      key: "VirtualTopic.eng.bugzilla.bug.modify",
      body: JSON.stringify({ event: (example("bugzilla.bug.modify") as { event: unknown }).event }),
      id: "bz-private",
    },
  ]);
  let bridge = startHerald(["bridge", "--config", bus.config]);
  cleanup.add(() => bridge.stop());
  await bridge.waitFor(new RegExp(`ready: bugzilla \\(${kind}, in\\)`), 30_000);

  await until(() => envelopesIn(tail).length >= 3, "the messages published while the bridge was stopped");
  const arrived = envelopesIn(tail);
  expect(arrived.map((envelope) => envelope.type)).toEqual([
    "org.example.prod.bugzilla.bug.create",
    "org.example.prod.bugzilla.bug.modify",
    "org.example.prod.bugzilla.comment.create",
  ]);
  expect(arrived.map((envelope) => envelope.data)).toEqual(bugzillaEvents.map(({ body }) => body));
  expect(arrived[0]).toMatchObject({ keyid: "bugzilla.bridge01", dataschema: "herald:bugzilla.bug.create/1.0" });
  expect((await runHerald(["verify", "--trust", bus.trustFile], { input: tail.output().stdout })).stdout).toBe(
    "valid\nvalid\nvalid\n",
  );
  // The registry presents them.
  await human.waitFor(/dgunchev@example\.org filed bug 1701391 against Fedora\/selinux-policy/);
  await human.waitFor(/mhroncok@example\.org changed status on bug 1699203 \(Fedora\/python-pyramid\)/);
  await human.waitFor(/smooge@example\.org commented on bug 1691487/);

  // Rejected once each, with the reason; never redelivered.
  await bridge.waitFor(
    /bugzilla: message VirtualTopic\.eng\.bugzilla\.bug\.create \([^)]+\) rejected: the body is not JSON/,
  );
  await bridge.waitFor(/bugzilla: message VirtualTopic\.eng\.bugzilla\.bug\.modify \([^)]+\) rejected: .*invalid-data/);
  await bridge.waitFor(
    /bugzilla: message VirtualTopic\.eng\.bugzilla\.comment\.create \([^)]+\) rejected: the body is refused: too-large: \d+ bytes, at most 1048576/,
  );
  await source.settled();
  // Once everything left the source, the bridge's own count shows each message read once: three
  // delivered, three rejected, none redelivered (a redelivery would count again).
  const count = async (name: string, labels: Record<string, string>) =>
    metricSample(await processMetrics(bridge), name, labels) ?? 0;
  await until(async () => (await count("herald_messages_in_total", { part: "bugzilla.in" })) >= 6, "six read");
  expect(await count("herald_messages_in_total", { part: "bugzilla.in" })).toBe(6);
  expect(await count("herald_messages_out_total", { part: "bugzilla.in" })).toBe(3);
  const said = bridge.output().stderr;
  expect(said.match(/not JSON/g)).toHaveLength(1);
  expect(said.match(/invalid-data/g)).toHaveLength(1);
  expect(said.match(/too-large/g)).toHaveLength(1);
  expect(said).not.toMatch(/\d+ more/);

  // SIGKILLed mid-stream: nothing the broker confirmed is lost.
  const stream = Array.from({ length: streamLength }, (_, n) => ({
    key: "VirtualTopic.eng.bugzilla.bug.modify",
    body: JSON.stringify(modification(n)),
    id: `bz-stream-${n}`,
  }));
  // Killed while the stream is still being published and forwarded.
  const published = source.publish(stream);
  await until(() => envelopesIn(tail).length >= 3 + 20, "the stream flowing", 30_000);
  bridge.child.kill("SIGKILL");
  await bridge.exited;
  await published;
  const beforeRestart = envelopesIn(tail).length;
  expect(beforeRestart).toBeLessThan(3 + streamLength);
  bridge = startHerald(["bridge", "--config", bus.config]);
  cleanup.add(() => bridge.stop());
  await bridge.waitFor(/ready/, 30_000);
  const distinct = () => new Set(envelopesIn(tail).map((envelope) => envelope.id)).size;
  await until(() => distinct() >= 3 + streamLength, "every message", 60_000).catch((error: Error) => {
    throw new Error(
      `${error.message}: ${distinct()} of ${3 + streamLength}; the bridge said: ${bridge.output().stderr.slice(-1500)}; the tail said: ${tail.output().stderr.slice(-1500)}`,
    );
  });
  const streamed = envelopesIn(tail)
    .slice(3)
    .map((envelope) => (envelope.data as { event: { bug_id: number } }).event.bug_id);
  expect(new Set(streamed).size).toBe(streamLength);
  expect(Math.min(...streamed)).toBe(1);
  expect(Math.max(...streamed)).toBe(streamLength);

  // The broker goes away and comes back: /healthz says so meanwhile; the bridge reconnects (with
  // backoff) and reads on.
  const metricsUrl = [...bridge.output().stderr.matchAll(/metrics (http:\/\/\S+)\/metrics/g)].at(-1)?.[1];
  const health = async () => (await fetch(`${metricsUrl}/healthz`)).status;
  expect(await health()).toBe(200);
  await source.restart(() => until(async () => (await health()) === 503, "/healthz to say the bridge is down", 20_000));
  await bridge.waitFor(/bugzilla: connected again to /, 60_000);
  expect(await health()).toBe(200);
  await source.publish([
    { key: "VirtualTopic.eng.bugzilla.bug.modify", body: JSON.stringify(modification(streamLength)), id: "bz-after" },
  ]);
  await until(() => new Set(envelopesIn(tail).map((envelope) => envelope.id)).size >= 4 + streamLength, "after");
  expect(await bridge.stop()).toBe(0);
}

/** Long enough that the kill lands mid-stream (a relay takes a few thousand a second). */
const streamLength = 1000;

const topics = ["org.example.prod.bugzilla.#"];

describe.skipIf(!appAvailable("rabbitmq amqp 1.0"))("herald bridge: AMQP 1.0 over TLS, SASL EXTERNAL", () => {
  let started: Promise<TestAmqp10Broker> | undefined;
  const amqp10Broker = () => {
    started ??= startAmqp10Broker().then((broker) => {
      cleanup.add(() => broker.stop());
      return broker;
    });
    return started;
  };

  it("reads Bugzilla's messages from a durable queue, rejects poison once, loses nothing when killed", async () => {
    const broker = await amqp10Broker();
    await broker.declareQueue("bugzilla", "VirtualTopic.eng.bugzilla.#");
    const bus = await startTestBus({ keyid: "bugzilla.bridge01", topics });
    cleanup.add(() => bus.relay?.stop());
    const { ca, clientCert, clientKey } = broker.certificates;
    appendFileSync(
      bus.config,
      bugzillaBridge([
        'kind = "amqp10"',
        `url = "${broker.tlsUrl}"`,
        'addresses = ["/amq/queue/bugzilla"]',
        `tls_ca = "${ca}"`,
        `tls_cert = "${clientCert}"`,
        `tls_key = "${clientKey}"`,
        "prefetch = 16",
      ]),
    );
    await bridgesBugzilla(
      bus,
      {
        publish: (messages) =>
          broker.publish(messages.map((message) => ({ subject: message.key, body: message.body, id: message.id }))),
        async settled() {
          await until(async () => (await broker.queueCounts("bugzilla.dead")).ready === 3, "the three rejected");
          expect(await broker.queueCounts("bugzilla")).toEqual({ ready: 0, unacked: 0 });
        },
        restart: (whileDown) => broker.restart(whileDown),
      },
      "amqp10",
    );
    expect(await broker.queueCounts("bugzilla")).toEqual({ ready: 0, unacked: 0 });
  }, 150_000);

  it("lives through the broker closing its connections and deleting its queue, and stops cleanly while the relay is down", async () => {
    const broker = await amqp10Broker();
    await broker.declareQueue("drained", "drained.#");
    const bus = await startTestBus({ keyid: "bugzilla.bridge01", topics });
    cleanup.add(() => bus.relay?.stop());
    appendFileSync(
      bus.config,
      bugzillaBridge(['kind = "amqp10"', `url = "${broker.plainUrl}"`, 'addresses = ["/amq/queue/drained"]']).replace(
        "VirtualTopic.eng.bugzilla.#",
        "drained.#",
      ),
    );
    const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
    cleanup.add(() => tail.stop());
    const bridge = startHerald(["bridge", "--config", bus.config]);
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: bugzilla \(amqp10, in\)/, 30_000);
    const reconnections = () => (bridge.output().stderr.match(/bugzilla: connected again/g) ?? []).length;
    let sent = 0;
    const sendOne = async () => {
      sent++;
      await broker.publish([
        { subject: "drained.bug.create", body: JSON.stringify({ n: sent }), id: `drained-${sent}` },
      ]);
      await until(() => envelopesIn(tail).length === sent, `message ${sent} through the bridge`, 60_000);
    };
    await sendOne();
    // What a broker restart or a node drain does: every connection closed from its side.
    for (let round = 1; round <= 3; round++) {
      await broker.closeConnections();
      await until(() => reconnections() >= round, `reconnection ${round}`, 60_000).catch((error: Error) => {
        throw new Error(`${error.message}; the bridge said:\n${bridge.output().stderr}`);
      });
      await sendOne();
    }
    // The queue deleted while read: said, and waited for; declared again, read again.
    await broker.deleteQueue("drained");
    await until(() => /bugzilla: .*drained/.test(bridge.output().stderr), "the deleted queue said", 60_000);
    await broker.declareQueue("drained", "drained.#");
    await until(() => reconnections() >= 4, "read again once the queue is back", 90_000);
    await sendOne();
    expect(bridge.child.exitCode).toBeNull();

    // SIGTERM while the relay is down and a message waits for it: released to the broker, exit 0.
    await bus.relay?.stop("SIGKILL");
    await broker.publish([{ subject: "drained.bug.create", body: JSON.stringify({ n: "held" }), id: "drained-held" }]);
    await until(async () => (await broker.queueCounts("drained")).unacked === 1, "the message held by the bridge");
    expect(await bridge.stop()).toBe(0);
    expect(bridge.output().stderr).not.toMatch(/this is a bug|Unrecognised|\n\s+at /);
    await until(async () => (await broker.queueCounts("drained")).ready === 1, "the held message back in the queue");
  }, 240_000);

  it("logs in with SASL PLAIN, and says in one line at start when the broker refuses it", async () => {
    const broker = await amqp10Broker();
    await broker.declareQueue("plain-login", "plain.#");
    const bus = await startTestBus({ keyid: "bugzilla.bridge01", topics });
    cleanup.add(() => bus.relay?.stop());
    const config = (url: string) =>
      bugzillaBridge(['kind = "amqp10"', `url = "${url}"`, 'addresses = ["/amq/queue/plain-login"]']).replace(
        "VirtualTopic.eng.bugzilla.#",
        "plain.#",
      );
    const wrong = `${bus.config}.wrong.toml`;
    writeFileSync(
      wrong,
      readFileSync(bus.config, "utf8") + config(broker.plainUrl.replace("guest:guest", "guest:nope")),
    );
    const refused = await runHerald(["bridge", "--config", wrong]);
    expect(refused.code).toBe(2);
    expect(lines(refused.stderr), refused.stderr).toHaveLength(1);
    expect(refused.stderr).toMatch(/^herald: bridge bugzilla: guest@localhost:\d+: .*(auth|SASL|sasl)/i);

    appendFileSync(bus.config, config(broker.plainUrl));
    const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
    cleanup.add(() => tail.stop());
    const bridge = startHerald(["bridge", "--config", bus.config]);
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: bugzilla \(amqp10, in\)/, 30_000);
    await broker.publish([{ subject: "plain.bug.create", body: JSON.stringify({ hello: "plain" }), id: "plain-1" }]);
    await until(() => envelopesIn(tail).length === 1, "the message read with PLAIN");
    expect(envelopesIn(tail)[0]).toMatchObject({
      type: "org.example.prod.bugzilla.bug.create",
      data: { hello: "plain" },
    });
    expect(await bridge.stop()).toBe(0);
  }, 60_000);
});

describe.skipIf(!appAvailable("activemq"))(
  "herald bridge: STOMP over TLS with a client certificate, ActiveMQ's virtual topics",
  () => {
    it("reads Bugzilla's virtual topics through its consumer queue, NACKs poison once, loses nothing when killed", async () => {
      const broker = await startActiveMq();
      cleanup.add(() => broker.stop());
      const bus = await startTestBus({ keyid: "bugzilla.bridge01", topics });
      cleanup.add(() => bus.relay?.stop());
      // Without a client certificate the broker refuses the TLS connection: said at start, exit 2.
      const noCertificate = join(bus.dir, "no-certificate.toml");
      writeFileSync(
        noCertificate,
        readFileSync(bus.config, "utf8") +
          bugzillaBridge([
            'kind = "stomp"',
            `url = "${broker.tlsUrl}"`,
            `tls_ca = "${broker.certificates.ca}"`,
            'addresses = ["VirtualTopic.eng.bugzilla.>"]',
          ]),
      );
      const refused = await runHerald(["bridge", "--config", noCertificate], { timeoutMs: 30_000 });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^herald: bridge bugzilla: cannot connect to localhost:\d+/m);
      appendFileSync(
        bus.config,
        // TLS with a client certificate, as Red Hat's bus wants it.
        bugzillaBridge([
          'kind = "stomp"',
          `url = "${broker.tlsUrl}"`,
          `tls_ca = "${broker.certificates.ca}"`,
          `tls_cert = "${broker.certificates.clientCert}"`,
          `tls_key = "${broker.certificates.clientKey}"`,
          'addresses = ["VirtualTopic.eng.bugzilla.>"]',
          "prefetch = 16",
        ]),
      );
      // ActiveMQ keeps a virtual topic's messages for the consumer queues that exist: the bridge's
      // (Consumer.herald-bugzilla.…) is made by subscribing to it once, as the bridge's first start would.
      expect(await broker.drain("Consumer.herald-bugzilla.VirtualTopic.eng.bugzilla.>", 500)).toEqual([]);
      await bridgesBugzilla(
        bus,
        {
          publish: (messages) =>
            broker.publish(messages.map((message) => ({ destination: message.key, body: message.body }))),
          async settled() {
            const dead = await broker.drain("ActiveMQ.DLQ", 1500);
            expect(dead).toHaveLength(3);
            expect(dead).toContain("<html>not json</html>");
          },
          restart: (whileDown) => broker.restart(whileDown),
        },
        "stomp",
      );
    }, 150_000);
  },
);
