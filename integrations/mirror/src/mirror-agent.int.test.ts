import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createBus, loadTrustFile } from "@herald/sdk";
import {
  appAvailable,
  createCleanup,
  createCollector,
  freePort,
  metricSample,
  runHerald,
  startHerald,
  startTestBus,
  until,
} from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterEach(() => cleanup.run());

describe.skipIf(!appAvailable("rsync"))("herald mirror agent, with real rsync", () => {
  it("a tier-2 pulls only after its tier-1 reported complete, and only the changed paths", async () => {
    const testBus = await startTestBus({ keyid: "mirror.bus01" });
    cleanup.add(() => testBus.relay?.stop("SIGTERM"));
    const { dir, config } = testBus;
    const [master, tier1, tier2] = ["master", "tier1", "tier2"].map((name) => join(dir, name)) as [
      string,
      string,
      string,
    ];
    for (const [path, text] of [
      ["updates/41/x86_64/pkg.rpm", "new"],
      ["releases/41/iso.img", "old"],
    ] as const) {
      mkdirSync(join(master, path, ".."), { recursive: true });
      writeFileSync(join(master, path), text);
    }
    mkdirSync(tier1);
    mkdirSync(tier2);

    const bus = createBus({
      schemas: "none",
      transport: await createZeroMqTransport({ connect: [testBus.outbound] }),
      trust: loadTrustFile(testBus.trustFile),
    });
    cleanup.add(() => bus.close());
    const take = createCollector(await testBus.joined(() => bus.subscribe(["org.example.#"])));
    const agent = (role: string, name: string, source: string, dest: string, extra: string[] = []) => {
      const process = startHerald([
        "mirror",
        "agent",
        "--config",
        config,
        "--role",
        role,
        "--name",
        name,
        "--tree",
        "fedora",
        "--source",
        source,
        "--dest",
        dest,
        ...extra,
        "--",
        "rsync",
        "-a",
      ]);
      cleanup.add(() => process.stop("SIGTERM"));
      return process.waitFor(/ready/);
    };
    const metricsPort = await freePort();
    // Each agent is ready once its subscription is on the relay.
    await testBus.joined(() => agent("tier1", "tier1-eu", master, tier1, ["--http", String(metricsPort)]));
    await testBus.joined(() => agent("tier2", "tier2-fr", tier1, tier2, ["--tier1", "tier1-eu"]));

    // Another tier-1's completion must not move this tier-2.
    const other = JSON.stringify({
      tree: "fedora",
      paths: ["releases/41"],
      mirror: "tier1-us",
      status: "succeeded",
      duration_ms: 5,
    });
    expect(
      (await runHerald(["publish", "--config", config, "--topic", "mirror.tier1.sync.complete", "--data", other])).code,
    ).toBe(0);
    const inSync = JSON.stringify({ tree: "fedora", paths: ["updates/41/x86_64"], host: "master01" });
    expect(
      (await runHerald(["publish", "--config", config, "--topic", "mirror.master.in_sync", "--data", inSync])).code,
    ).toBe(0);

    await until(() => existsSync(join(tier2, "updates/41/x86_64/pkg.rpm")), "the tier-2 sync");
    expect(existsSync(join(tier1, "updates/41/x86_64/pkg.rpm"))).toBe(true);
    expect(existsSync(join(tier1, "releases"))).toBe(false);
    expect(existsSync(join(tier2, "releases"))).toBe(false);
    const messages = await take(4);
    expect(
      messages.map((message) => [
        message.topic.replace("org.example.dev.", ""),
        message.envelope.data.mirror ?? "",
        message.envelope.data.paths,
      ]),
    ).toEqual([
      ["mirror.tier1.sync.complete", "tier1-us", ["releases/41"]],
      ["mirror.master.in_sync", "", ["updates/41/x86_64"]],
      ["mirror.tier1.sync.start", "tier1-eu", ["updates/41/x86_64"]],
      ["mirror.tier1.sync.complete", "tier1-eu", ["updates/41/x86_64"]],
    ]);
    expect(messages[3]?.envelope.data.status).toBe("succeeded");
    // The tier-1 agent took all four mirror messages off the bus, and says so in its metrics.
    const page = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metricSample(page, "herald_messages_out_total", { command: "mirror", part: "subscription" })).toBe(4);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
  });
});
