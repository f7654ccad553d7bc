import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBus, loadTrustFile } from "@herald/sdk";
import {
  createCollector,
  type RunningProcess,
  relaySubscribers,
  runHerald,
  startHerald,
  tcpAddress,
  until,
} from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";

const running: RunningProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
});

describe("herald publish --spool and herald spool", () => {
  it("queues what no relay acknowledged, lists it, and delivers it once a relay answers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-spool-"));
    const trust = join(dir, "trust.json");
    await runHerald(["keygen", "logger.cron01", "--dir", dir, "--trust", trust, "--topics", "org.example.#"]);
    const key = ["--key", join(dir, "logger.cron01.pem"), "--keyid", "logger.cron01"];
    const inbound = await tcpAddress();
    const outbound = await tcpAddress();
    const spool = join(dir, "spool");

    const queued = await runHerald([
      "publish",
      "--topic",
      "logger.log",
      "--data",
      '{"text":"nightly backup done"}',
      "--relay",
      inbound,
      "--timeout",
      "300",
      "--spool",
      spool,
      ...key,
    ]);
    expect(queued.code).toBe(75);
    expect(queued.stderr).toMatch(
      /^herald: no relay acknowledged the message .*; queued to .*spool\/.*\.json for herald spool flush/,
    );
    const listed = JSON.parse((await runHerald(["spool", "list", "--dir", spool, "--json"])).stdout) as {
      type: string;
    }[];
    expect(listed.map((row) => row.type)).toEqual(["org.example.dev.logger.log"]);

    const relay = startHerald(["relay", "--inbound", inbound, "--outbound", outbound, "--http", "0", "--trust", trust]);
    running.push(relay);
    await relay.waitFor(/ready/);
    const bus = createBus({
      schemas: "none",
      transport: await createZeroMqTransport({ connect: [outbound] }),
      trust: loadTrustFile(trust),
    });
    const take = createCollector(await bus.subscribe(["#"]));
    await until(async () => (await relaySubscribers(relay)) >= 1, "the subscriber on the relay");
    const flushed = await runHerald(["spool", "flush", "--dir", spool, "--relay", inbound]);
    expect([flushed.code, flushed.stdout]).toEqual([0, "sent 1, refused 0, left 0\n"]);
    const [message] = await take(1);
    expect([message?.outcome, message?.envelope.data]).toEqual(["valid", { text: "nightly backup done" }]);
    expect(JSON.parse((await runHerald(["spool", "list", "--dir", spool, "--json"])).stdout)).toEqual([]);
    await bus.close();
  });
});
