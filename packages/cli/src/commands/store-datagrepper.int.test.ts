import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { catalogue } from "@herald/schemas";
import {
  appAvailable,
  createCleanup,
  freePort,
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
const gitReceive = catalogue.find((entry) => entry.name === "git.receive")!;

/** Runs one of Fedora's datagrepper clients (peers/datagrepper_client_peer.py) to its end. */
async function client(args: string[]) {
  const peer = startPeer("datagrepper-client", args);
  cleanup.add(() => peer.stop());
  const code = await peer.exited;
  return { code, stdout: peer.output().stdout.trim(), stderr: peer.output().stderr };
}

describe.skipIf(!appAvailable("python peers"))("herald store answers Fedora's datagrepper clients", () => {
  it("fedmsg-dg-replay, fedora-messaging replay and fedmsg's backlog fetch find what they look for, by fedmsg msg_id and by Herald id", async () => {
    const bus = await startTestBus({ keyid: "fedmsg.bridge03", topics: ["org.example.#", "org.fedoraproject.#"] });
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
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const store = await bus.joined(() =>
      startHerald([
        "store",
        "--config",
        bus.config,
        "--db",
        `sqlite:${join(bus.dir, "archive.sqlite")}`,
        "--http",
        String(port),
      ]),
    );
    cleanup.add(() => store.stop());
    const bridge = startHerald(["bridge", "--config", bus.config]);
    cleanup.add(() => bridge.stop());
    await store.waitFor(/ready: storing into/, 15_000);
    await bridge.waitFor(/ready: legacy/, 15_000);
    const started = Math.floor(Date.now() / 1000) - 1;

    // One message from fedmsg through the bridge, one published on Herald.
    const fedmsgBody = { user: { username: "erin" }, fields: ["timezone"] };
    const publisher = startPeer("fedmsg", [
      "publish",
      fedmsgPublisher,
      "org.fedoraproject.prod.fas.user.update",
      JSON.stringify(fedmsgBody),
    ]);
    cleanup.add(() => publisher.stop());
    expect(await publisher.exited).toBe(0);
    const fedmsgId = publisher.output().stdout.trim();
    const data = gitReceive.examples[0] as object;
    const published = await runHerald([
      "publish",
      "--config",
      bus.config,
      "--topic",
      "git.receive",
      "--data",
      JSON.stringify(data),
      "--json",
    ]);
    expect(published.code, published.stderr).toBe(0);
    const heraldId = (JSON.parse(published.stdout) as { id: string }).id;
    let stored = 0;
    const poll = setInterval(async () => {
      const answer = await fetch(`${base}/messagecount`).catch(() => undefined);
      stored =
        ((await answer?.json().catch(() => undefined)) as { messagecount?: number } | undefined)?.messagecount ?? 0;
    }, 200);
    try {
      await until(() => stored === 2, "both messages in the store", 15_000);
    } finally {
      clearInterval(poll);
    }

    // fedmsg's fedmsg-dg-replay --msg-id 2026-…: GET /id, then msg["topic"] and msg["msg"].
    const replayed = await client(["fedmsg-dg-replay", base, fedmsgId]);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(JSON.parse(replayed.stdout)).toEqual({ modname: "fas", topic: "user.update", msg: fedmsgBody });

    // fedora-messaging replay <id>: GET /v2/id?id=…&is_raw=true, then load_message.
    const loaded = await client(["fedora-messaging-replay", base, heraldId]);
    expect(loaded.code, loaded.stdout + loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout)).toMatchObject({
      topic: "org.example.dev.git.receive",
      body: data,
      id: heraldId,
      severity: 20,
      schema: `herald:git.receive/${gitReceive.version}`,
      queue: null,
      priority: 0,
    });
    expect((JSON.parse(loaded.stdout) as { "sent-at": string })["sent-at"]).toMatch(/^\d{4}-\d\d-\d\dT[\d:]+\+00:00$/);
    // …and by the fedmsg msg_id, which is not Herald's id.
    const loadedFedmsg = await client(["fedora-messaging-replay", base, fedmsgId]);
    expect(loadedFedmsg.code, loadedFedmsg.stdout + loadedFedmsg.stderr).toBe(0);
    expect(JSON.parse(loadedFedmsg.stdout)).toMatchObject({ id: fedmsgId, body: fedmsgBody });

    // A fedmsg hub's backlog: /raw pages from its last message's timestamp to now, oldest first.
    const backlog = await client(["fedmsg-backlog", `${base}/raw`, String(started), String(started + 600), "org.*"]);
    expect(backlog.code, backlog.stderr).toBe(0);
    const found = JSON.parse(backlog.stdout) as { pages: number; messages: { msg_id: string; timestamp: unknown }[] };
    expect(found.pages).toBe(1);
    expect(found.messages.map((message) => message.msg_id).sort()).toEqual([fedmsgId, heraldId].sort());
    for (const message of found.messages) expect(Number.isInteger(message.timestamp)).toBe(true);

    // An id nobody has: fedmsg-dg-replay's own failure, from a 404.
    const missing = await client(["fedmsg-dg-replay", base, "2026-00000000-0000-4000-8000-000000000000"]);
    expect([missing.code, missing.stdout]).toEqual([
      2,
      "datagrepper request of '2026-00000000-0000-4000-8000-000000000000' failed. Status: 404",
    ]);
  }, 90_000);
});
