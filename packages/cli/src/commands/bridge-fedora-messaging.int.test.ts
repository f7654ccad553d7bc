import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import {
  amqpBindings,
  appAvailable,
  createCleanup,
  deleteAmqpTopology,
  metricSample,
  processMetrics,
  rabbitmqAvailable,
  runHerald,
  startHerald,
  startPeer,
  startTestBus,
  testAmqpUrl,
  until,
  untilListening,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const hasBroker = await rabbitmqAvailable();

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

describe.skipIf(!hasBroker || !appAvailable("python peers"))(
  "herald bridge: fedora-messaging ↔ Herald over RabbitMQ",
  () => {
    it("puts a fedora-messaging message on the bus signed by the bridge, and a Herald message in fedora-messaging's format on amq.topic, with no echo", async () => {
      const bus = await startTestBus({ keyid: "fm.bridge01", topics: ["org.example.#", "org.fedoraproject.#"] });
      cleanup.add(() => bus.relay?.stop());
      const queue = `herald.test.${randomBytes(4).toString("hex")}.fm`;
      cleanup.add(() => deleteAmqpTopology({ queues: [queue, `${queue}.dead`] }));
      // A test-only environment name keeps these messages apart from anything else on amq.topic.
      const environment = `t${randomBytes(3).toString("hex")}`;
      appendFileSync(
        bus.config,
        [
          "[bridge]",
          "http_port = 0",
          "[[bridges]]",
          'name = "fm"',
          'kind = "fedora-messaging"',
          `url = "${testAmqpUrl}"`,
          `queue = "${queue}"`,
          `topics = ["org.fedoraproject.${environment}.#", "org.example.${environment}.#"]`,
          "",
        ].join("\n"),
      );
      const bridge = await bus.joined(() => startHerald(["bridge", "--config", bus.config]));
      cleanup.add(() => bridge.stop());
      await bridge.waitFor(/ready: fm \(fedora-messaging, both\)/, 15_000);
      const tail = startHerald(["tail", "--config", bus.config, "--json"]);
      cleanup.add(() => tail.stop());
      const consumer = startPeer("fedora-messaging", ["consume", testAmqpUrl, "amq.topic", `#.${environment}.#`, "2"]);
      cleanup.add(() => consumer.stop());
      await consumer.waitFor(/ready/);
      const probes = await untilListening(tail, bus.config);
      const heard = () => lines(tail.output().stdout).slice(probes);

      // fedora-messaging → Herald
      const topic = `org.fedoraproject.${environment}.bodhi.update.comment`;
      const body = { comment: { text: "works for me", user: { name: "alice" } }, agent: "alice" };
      const publisher = startPeer("fedora-messaging", [
        "publish",
        testAmqpUrl,
        "amq.topic",
        topic,
        JSON.stringify(body),
        "alice",
        "herald",
      ]);
      expect(await publisher.exited).toBe(0);
      const messageId = publisher.output().stdout.trim();
      await until(() => heard().length >= 1, "the fedora-messaging message on the Herald bus");
      const arrived = JSON.parse(heard()[0] ?? "") as Record<string, unknown>;
      expect(arrived).toMatchObject({
        type: topic,
        id: messageId,
        data: body,
        fmschema: "base.message",
        keyid: "fm.bridge01",
      });
      expect(arrived.source).toMatch(/^\/fedora-messaging-bridge\.fm\//);
      expect((await runHerald(["verify", "--trust", bus.trustFile], { input: `${heard()[0]}\n` })).stdout).toBe(
        "valid\n",
      );

      // Herald → fedora-messaging
      const data = {
        build_id: "herald-7",
        name: "herald",
        host: "builder01",
        started_at: new Date().toISOString(),
        owner: "alice",
      };
      const publishEnv = { ...process.env, HERALD_ENVIRONMENT: environment };
      const published = await runHerald(
        [
          "publish",
          "--config",
          bus.config,
          "--topic",
          "buildsys.build.start",
          "--data",
          JSON.stringify(data),
          "--json",
        ],
        { env: publishEnv },
      );
      expect(published.code, published.stderr).toBe(0);
      const heraldId = (JSON.parse(published.stdout) as { id: string }).id;
      expect(await consumer.exited).toBe(0);
      const received = lines(consumer.output().stdout)
        .slice(1)
        .map(
          (line) =>
            JSON.parse(line) as {
              routing_key: string;
              body: unknown;
              headers: Record<string, unknown>;
              message_id: string;
            },
        );
      // First the original fedora-messaging message itself, then the Herald one; no echo of the first.
      expect(received.map((message) => message.routing_key)).toEqual([
        topic,
        `org.example.${environment}.buildsys.build.start`,
      ]);
      const herald = received[1];
      expect(herald?.body).toEqual(data);
      expect(herald?.message_id).toBe(heraldId);
      expect(herald?.headers).toMatchObject({
        fedora_messaging_schema: "herald:buildsys.build.start/1.0",
        fedora_messaging_severity: 20,
        fedora_messaging_user_alice: true,
        fedora_messaging_rpm_herald: true,
      });
      expect(Date.parse(String(herald?.headers["sent-at"]))).toBeGreaterThan(Date.now() - 60_000);
      // The Herald message came back from amq.topic and the in side dropped it as a loop (the
      // bridge's own count says it is decided, no pause needed); the tail has both, once.
      await until(
        async () =>
          (metricSample(await processMetrics(bridge), "herald_messages_rejected_total", {
            part: "fm.in",
            reason: "loop",
          }) ?? 0) >= 1,
        "the echo dropped by the in side",
      );
      await until(() => heard().length >= 2, "both messages in tail");
      expect(heard()).toHaveLength(2);
      expect(await bridge.stop()).toBe(0);
    }, 60_000);

    it("round trip fedora-messaging → Herald → fedora-messaging keeps severity, priority, user and package headers, x-received-from, the message-id and sent-at; decodes latin-1; carries a big integer as its digits", async () => {
      const bus = await startTestBus({ keyid: "fm.bridge02", topics: ["org.fedoraproject.#"] });
      cleanup.add(() => bus.relay?.stop());
      const suffix = randomBytes(4).toString("hex");
      const queue = `herald.test.${suffix}.fmin`;
      const outExchange = `herald.test.${suffix}.out`;
      cleanup.add(() => deleteAmqpTopology({ queues: [queue, `${queue}.dead`], exchanges: [outExchange] }));
      const environment = `t${randomBytes(3).toString("hex")}`;
      const topics = `topics = ["org.fedoraproject.${environment}.#"]`;
      appendFileSync(
        bus.config,
        [
          "[bridge]",
          "http_port = 0",
          // In from amq.topic; out to another exchange, where a second fedora-messaging app listens.
          "[[bridges]]",
          'name = "fmin"',
          'kind = "fedora-messaging"',
          'direction = "in"',
          `url = "${testAmqpUrl}"`,
          `queue = "${queue}"`,
          topics,
          "[[bridges]]",
          'name = "fmout"',
          'kind = "fedora-messaging"',
          'direction = "out"',
          `url = "${testAmqpUrl}"`,
          `exchange = "${outExchange}"`,
          topics,
          "",
        ].join("\n"),
      );
      const consumer = startPeer("fedora-messaging", ["consume", testAmqpUrl, outExchange, "#", "1"]);
      cleanup.add(() => consumer.stop());
      await consumer.waitFor(/ready/);
      // fmout subscribes on the relay; fmin's queue is bound to amq.topic: then nothing is missed.
      const bridge = await bus.joined(() => startHerald(["bridge", "--config", bus.config]));
      cleanup.add(() => bridge.stop());
      await bridge.waitFor(/ready: /, 15_000);
      await until(async () => (await amqpBindings("amq.topic", queue)) === 1, "fmin's queue bound to amq.topic");

      const topic = `org.fedoraproject.${environment}.koji.build.fail`;
      const sentAt = new Date().toISOString().slice(0, 19);
      const headers = {
        fedora_messaging_schema: "koji.build.fail",
        // As fedora-messaging's utcnow().isoformat() writes it: no offset, and it means UTC. Now, not a
        // fixed date: the relay refuses a message older than its replay window.
        "sent-at": sentAt,
        fedora_messaging_severity: 40,
        fedora_messaging_user_bob: true,
        fedora_messaging_rpm_kernel: true,
        priority: 5,
        "x-received-from": [{ uri: "amqps://rabbitmq.example.org", exchange: "amq.topic", redelivered: false }],
      };
      const publisher = startPeer("fedora-messaging", [
        "publish-with",
        testAmqpUrl,
        "amq.topic",
        topic,
        '{"city": "Zürich", "task_id": 9223372036854775809}',
        JSON.stringify({
          content_encoding: "latin-1",
          message_id: "koji-task-9223372036854775809",
          priority: 5,
          headers,
        }),
      ]);
      expect(await publisher.exited, publisher.output().stderr).toBe(0);
      expect(await consumer.exited, bridge.output().stderr).toBe(0);
      const line = lines(consumer.output().stdout)[1] ?? "";
      // Python prints integers exactly: the task id arrives as the string of its digits, never rounded.
      expect(line).toContain('"task_id": "9223372036854775809"');
      const received = JSON.parse(line) as {
        routing_key: string;
        body: { city: string };
        headers: Record<string, unknown>;
        message_id: string;
        priority: number;
      };
      expect(received.routing_key).toBe(topic);
      expect(received.body.city).toBe("Zürich");
      expect(received.message_id).toBe("koji-task-9223372036854775809");
      expect(received.priority).toBe(5);
      expect(received.headers).toMatchObject({
        fedora_messaging_schema: "koji.build.fail",
        "sent-at": sentAt,
        fedora_messaging_severity: 40,
        fedora_messaging_user_bob: true,
        fedora_messaging_rpm_kernel: true,
        priority: 5,
      });
      const hops = received.headers["x-received-from"] as { uri: string }[];
      expect(hops[0]).toEqual(headers["x-received-from"][0]);
      expect(hops[1]?.uri).toMatch(/^herald:\/\/fedora-messaging-bridge\.fmout\//);
      expect(await bridge.stop()).toBe(0);
    }, 60_000);
  },
);
