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
});
