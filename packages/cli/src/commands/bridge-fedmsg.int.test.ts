import { appendFileSync } from "node:fs";
import {
  createCleanup,
  runHerald,
  startHerald,
  startPeer,
  startTestBus,
  tcpAddress,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

describe("herald bridge: fedmsg ↔ Herald", () => {
  it("puts a fedmsg publisher's message on the bus signed by the bridge, and a Herald message in fedmsg format to a fedmsg subscriber, with no echo", async () => {
    // The bridge's key may sign what it brings in from fedmsg.
    const bus = await startTestBus({ keyid: "fedmsg.bridge01", topics: ["org.example.#", "org.fedoraproject.#"] });
    cleanup.add(() => bus.relay?.stop());
    const fedmsgPublisher = await tcpAddress();
    const fedmsgOut = await tcpAddress();
    appendFileSync(
      bus.config,
      [
        "[bridge]",
        "http_port = 0",
        "[[bridges]]",
        'name = "legacy"',
        'kind = "fedmsg"',
        `connect = ["${fedmsgPublisher}"]`,
        `bind = ["${fedmsgOut}"]`,
        'topics = ["org.fedoraproject.#", "org.example.#"]',
        "",
      ].join("\n"),
    );
    const bridge = startHerald(["bridge", "--config", bus.config]);
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: legacy \(fedmsg, both\)/, 15_000);
    const tail = startHerald(["tail", "--config", bus.config, "--json"]);
    cleanup.add(() => tail.stop());
    const subscriber = startPeer("fedmsg", ["subscribe", fedmsgOut, "1"]);
    cleanup.add(() => subscriber.stop());
    await subscriber.waitFor(/subscribed/);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // fedmsg → Herald
    const body = { user: { username: "alice" }, agent: "alice", comment: "'; rm -rf / #" };
    const publisher = startPeer("fedmsg", [
      "publish",
      fedmsgPublisher,
      "org.fedoraproject.prod.fas.user.update",
      JSON.stringify(body),
    ]);
    cleanup.add(() => publisher.stop());
    expect(await publisher.exited).toBe(0);
    const msgId = publisher.output().stdout.trim();
    await until(() => lines(tail.output().stdout).length >= 1, "the fedmsg message on the Herald bus");
    const [arrived] = lines(tail.output().stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(arrived).toMatchObject({
      type: "org.fedoraproject.prod.fas.user.update",
      id: msgId.slice(5),
      data: body,
      fedmsgid: msgId,
      keyid: "fedmsg.bridge01",
    });
    expect(arrived?.source).toMatch(/^\/fedmsg-bridge\.legacy\//);
    const verified = await runHerald(["verify", "--trust", bus.trustFile], { input: tail.output().stdout });
    expect(verified.stdout).toBe("valid\n");

    // Herald → fedmsg
    const data = { repo: "herald", tag: "v1", rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username: "bob" };
    const published = await runHerald([
      "publish",
      "--config",
      bus.config,
      "--topic",
      "git.tag.create",
      "--data",
      JSON.stringify(data),
      "--json",
    ]);
    expect(published.code).toBe(0);
    expect(await subscriber.exited).toBe(0);
    const received = JSON.parse(subscriber.output().stdout.split("\n")[1] ?? "") as {
      frame: string;
      message: Record<string, unknown>;
    };
    expect(received.frame).toBe("org.example.dev.git.tag.create");
    expect(received.message).toMatchObject({ topic: "org.example.dev.git.tag.create", msg: data, i: 1 });
    expect(typeof received.message.timestamp).toBe("number");
    expect(Math.abs((received.message.timestamp as number) * 1000 - Date.now())).toBeLessThan(60_000);

    // The fedmsg message did not come back out to fedmsg, and each message reached the bus once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(lines(tail.output().stdout)).toHaveLength(2);
    expect(await bridge.stop()).toBe(0);
  }, 60_000);

  it("logs every kind of refusal at once, and carries an integer beyond 2^53 as the string of its digits", async () => {
    const bus = await startTestBus({ keyid: "fedmsg.bridge02", topics: ["org.fedoraproject.#"] });
    cleanup.add(() => bus.relay?.stop());
    const fedmsgPublisher = await tcpAddress();
    appendFileSync(
      bus.config,
      [
        "[bridge]",
        "http_port = 0",
        "[[bridges]]",
        'name = "legacy"',
        'kind = "fedmsg"',
        'direction = "in"',
        `connect = ["${fedmsgPublisher}"]`,
        'topics = ["org.fedoraproject.#"]',
        "",
      ].join("\n"),
    );
    const bridge = startHerald(["bridge", "--config", bus.config]);
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: legacy/, 15_000);
    const tail = startHerald(["tail", "--config", bus.config, "--json"]);
    cleanup.add(() => tail.stop());
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const topic = "org.fedoraproject.prod.koji.task.state";
    const good = (msg: string, id: string) =>
      `{"topic": "${topic}", "msg": ${msg}, "timestamp": ${Math.floor(Date.now() / 1000)}, "msg_id": "2026-${id}", "i": 1}`;
    const publisher = startPeer("fedmsg", [
      "publish-raw",
      fedmsgPublisher,
      topic,
      "this is not json",
      '{"topic": "x", "topic": "y"}',
      `${"[".repeat(200)}${"]".repeat(200)}`,
      '{"msg": {}}',
      '["a list"]',
      good('{"task_id": 9223372036854775809, "small": 7}', "6b1b4a5e-3f43-4c5c-9d47-3b1d58c2d0a1"),
    ]);
    cleanup.add(() => publisher.stop());
    expect(await publisher.exited).toBe(0);
    await until(() => lines(tail.output().stdout).length >= 1, "the good fedmsg message on the Herald bus");
    const [arrived] = lines(tail.output().stdout).map((line) => JSON.parse(line) as { data: unknown });
    // The exact digits, never 9223372036854776000.
    expect(arrived?.data).toEqual({ task_id: "9223372036854775809", small: 7 });

    // Five refusals of five kinds: each is said, with its reason, without waiting for another.
    await until(
      () => (bridge.output().stderr.match(/refused a message/g) ?? []).length >= 5,
      "each refusal in the bridge's log",
    );
    const said = bridge
      .output()
      .stderr.split("\n")
      .filter((line) => line.includes("refused a message"));
    expect(said.join("\n")).toMatch(/not JSON/i);
    expect(said.join("\n")).toMatch(/duplicate/i);
    expect(said.join("\n")).toMatch(/deep|depth/i);
    await until(() => /since the start 5: /.test(bridge.output().stderr), "the count of refusals");
    expect(await bridge.stop()).toBe(0);
  }, 60_000);
});
