import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  appAvailable,
  createCleanup,
  metricSample,
  processMetrics,
  type RunningProcess,
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

/** A reading of the bridge's /metrics for one of its parts (`legacy.in`, `legacy.out`). */
const reading = async (bridge: RunningProcess, name: string, labels: Record<string, string>) =>
  metricSample(await processMetrics(bridge), name, labels) ?? 0;

/** Waits until the fedmsg consumers connected to a bridge's out socket have subscribed there. */
const untilFedmsgSubscribed = (bridge: RunningProcess, part: string) =>
  until(
    async () => (await reading(bridge, "herald_subscribers", { part })) >= 1,
    `a fedmsg consumer subscribed to ${part}`,
    30_000,
  );

describe.skipIf(!appAvailable("python peers"))("herald bridge: fedmsg ↔ Herald", () => {
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
    const bridge = await bus.joined(() => startHerald(["bridge", "--config", bus.config]));
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: legacy \(fedmsg, both\)/, 15_000);
    const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
    cleanup.add(() => tail.stop());
    const subscriber = startPeer("fedmsg", ["subscribe", fedmsgOut, "1"]);
    cleanup.add(() => subscriber.stop());
    await subscriber.waitFor(/subscribed/);
    await untilFedmsgSubscribed(bridge, "legacy.out");

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

    // The fedmsg message did not come back out to fedmsg, and each message reached the bus once:
    // the out side has seen both on the bus and dropped the one that came from fedmsg (its own
    // count, not a pause, says everything is decided).
    await until(
      async () =>
        (await reading(bridge, "herald_messages_rejected_total", { part: "legacy.out", reason: "loop" })) >= 1,
      "the fedmsg message dropped as a loop on its way out",
    );
    expect(await reading(bridge, "herald_messages_out_total", { part: "legacy.out" })).toBe(1);
    expect(await reading(bridge, "herald_messages_out_total", { part: "legacy.in" })).toBe(1);
    await until(() => lines(tail.output().stdout).length >= 2, "Herald's own message in tail too");
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
    const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
    cleanup.add(() => tail.stop());

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
      // What fedmsg-logger --json-input makes of {"x": 1e16}: a whole number beyond 2^53 written as a float.
      good('{"x": 1e16, "y": 1.5e300, "z": -2e20}', "6b1b4a5e-3f43-4c5c-9d47-3b1d58c2d0a2"),
    ]);
    cleanup.add(() => publisher.stop());
    expect(await publisher.exited).toBe(0);
    await until(() => lines(tail.output().stdout).length >= 2, "the good fedmsg messages on the Herald bus");
    const [arrived, float] = lines(tail.output().stdout).map((line) => JSON.parse(line) as { data: unknown });
    // The exact digits, never 9223372036854776000.
    expect(arrived?.data).toEqual({ task_id: "9223372036854775809", small: 7 });
    // Whole numbers past 2^53 as their digits, which every hop's reader takes.
    expect(float?.data).toEqual({
      x: "10000000000000000",
      y: BigInt(1.5e300).toString(),
      z: "-200000000000000000000",
    });

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

  it("signs what it sends to fedmsg with an X.509 certificate that fedmsg's own validation accepts", async () => {
    const bus = await startTestBus({ keyid: "fedmsg.bridge04", topics: ["org.example.#"] });
    cleanup.add(() => bus.relay?.stop());
    // A CA, as fedmsg deployments have one, and the bridge's certificate signed by it.
    const ssl = (args: string[]) => execFileSync("openssl", args, { cwd: bus.dir, stdio: "pipe" });
    ssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "2",
      "-subj",
      "/CN=Test fedmsg CA",
    ]);
    ssl([
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "bridge.key",
      "-out",
      "bridge.csr",
      "-subj",
      "/CN=herald-bridge",
    ]);
    ssl([
      "x509",
      "-req",
      "-in",
      "bridge.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "bridge.crt",
      "-days",
      "2",
    ]);
    const fedmsgOut = await tcpAddress();
    appendFileSync(
      bus.config,
      [
        "[bridge]",
        "http_port = 0",
        "[[bridges]]",
        'name = "signed"',
        'kind = "fedmsg"',
        'direction = "out"',
        `bind = ["${fedmsgOut}"]`,
        'topics = ["org.example.#"]',
        `x509_key = "${join(bus.dir, "bridge.key")}"`,
        `x509_cert = "${join(bus.dir, "bridge.crt")}"`,
        "",
      ].join("\n"),
    );
    const bridge = await bus.joined(() => startHerald(["bridge", "--config", bus.config]));
    cleanup.add(() => bridge.stop());
    await bridge.waitFor(/ready: signed/, 15_000);
    const validator = startPeer("fedmsg", ["validate", fedmsgOut, join(bus.dir, "ca.crt"), "1"]);
    cleanup.add(() => validator.stop());
    await validator.waitFor(/subscribed/);
    await untilFedmsgSubscribed(bridge, "signed.out");
    // Text that Python escapes (ensure_ascii) and numbers it writes its own way must sign alike.
    const data = {
      repo: "herald",
      tag: "v1 ✓ Zürich 🚀",
      rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
      username: "bob",
    };
    const published = await runHerald([
      "publish",
      "--config",
      bus.config,
      "--topic",
      "git.tag.create",
      "--data",
      JSON.stringify(data),
    ]);
    expect(published.code, published.stderr).toBe(0);
    expect(await validator.exited).toBe(0);
    const [result] = lines(validator.output().stdout)
      .slice(1)
      .map((line) => JSON.parse(line) as { valid: boolean; tampered_valid: boolean; message: Record<string, unknown> });
    expect(result).toMatchObject({ valid: true, tampered_valid: false, message: { crypto: "x509", msg: data } });
    expect(await bridge.stop()).toBe(0);
  }, 60_000);

  it("refuses a signing key without its certificate, or one that is not the certificate's, in one line", async () => {
    const bus = await startTestBus({ keyid: "fedmsg.bridge05", topics: ["org.example.#"], relay: false });
    const ssl = (args: string[]) => execFileSync("openssl", args, { cwd: bus.dir, stdio: "pipe" });
    ssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "a.key",
      "-out",
      "a.crt",
      "-days",
      "1",
      "-subj",
      "/CN=a",
    ]);
    ssl(["genpkey", "-algorithm", "RSA", "-out", "b.key"]);
    const config = (key: string, cert?: string) =>
      [
        "[[bridges]]",
        'name = "signed"',
        'kind = "fedmsg"',
        'direction = "out"',
        `bind = ["${"tcp://127.0.0.1:0"}"]`,
        `x509_key = "${join(bus.dir, key)}"`,
        ...(cert === undefined ? [] : [`x509_cert = "${join(bus.dir, cert)}"`]),
        "",
      ].join("\n");
    const file = join(bus.dir, "signed.toml");
    writeFileSync(file, `${readFileSync(bus.config, "utf8")}\n${config("b.key", "a.crt")}`);
    const mismatched = await runHerald(["bridge", "--config", file]);
    expect(mismatched.code).not.toBe(0);
    expect(mismatched.stderr).toMatch(/a\.crt: this certificate is not the one of .*b\.key/);
    writeFileSync(file, `${readFileSync(bus.config, "utf8")}\n${config("a.key")}`);
    const alone = await runHerald(["bridge", "--config", file]);
    expect(alone.stderr).toMatch(/x509_key and x509_cert go together/);
    expect(alone.stderr).not.toMatch(/\n\s+at /);
  });
});
