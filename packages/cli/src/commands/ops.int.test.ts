import { join } from "node:path";
import { createCleanup, freePort, metricSample, runHerald, startHerald, startTestBus } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

describe("/healthz and /metrics of the long-running commands", () => {
  it("the relay and the store count what they received, passed on and refused", async () => {
    const bus = await startTestBus({ keyid: "git.ops01" });
    cleanup.add(() => bus.relay?.stop());
    const relayHttp = /http (http:\/\/127\.0\.0\.1:\d+)\/v1\/messages/.exec(bus.relay?.output().stderr ?? "")?.[1];
    expect(relayHttp).toBeDefined();
    const storePort = await freePort();
    const store = await bus.joined(() =>
      startHerald([
        "store",
        "--config",
        bus.config,
        "--db",
        `sqlite:${join(bus.dir, "store.sqlite")}`,
        "--http",
        String(storePort),
      ]),
    );
    cleanup.add(() => store.stop());
    await store.waitFor(/ready/);

    const data = { repo: "herald", tag: "v1", rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username: "alice" };
    for (const tag of ["v1", "v2"]) {
      const result = await runHerald([
        "publish",
        "--config",
        bus.config,
        "--topic",
        "git.tag.create",
        "--data",
        JSON.stringify({ ...data, tag }),
      ]);
      expect(result.code).toBe(0);
    }
    // A forged envelope is refused by the relay and counted by reason.
    const forged = {
      specversion: "1.0",
      id: "0190f0b2-7c1e-7a3b-9d4e-5f6a7b8c9d0e",
      source: "/git/forger",
      type: "org.example.dev.git.tag.create",
      time: new Date().toISOString(),
      datacontenttype: "application/json",
      data,
      keyid: "git.ops01",
      sig: Buffer.alloc(64).toString("base64"),
    };
    const refused = await fetch(`${relayHttp}/v1/messages`, {
      method: "POST",
      body: JSON.stringify(forged),
      headers: { "content-type": "application/json" },
    });
    expect(refused.status).toBe(422);

    const relayPage = await (await fetch(`${relayHttp}/metrics`)).text();
    expect(metricSample(relayPage, "herald_messages_out_total", { command: "relay", part: "relay" })).toBe(2);
    expect(metricSample(relayPage, "herald_messages_rejected_total", { part: "relay", reason: "bad-signature" })).toBe(
      1,
    );
    // The store is the one Herald subscriber on the relay's outbound.
    expect(metricSample(relayPage, "herald_subscribers", { command: "relay", part: "relay" })).toBe(1);
    expect((await fetch(`${relayHttp}/healthz`)).status).toBe(200);

    const storeApi = `http://127.0.0.1:${storePort}`;
    let storePage = "";
    for (
      let attempt = 0;
      attempt < 50 && metricSample(storePage, "herald_messages_out_total", { part: "ingest" }) !== 2;
      attempt++
    ) {
      storePage = await (await fetch(`${storeApi}/metrics`)).text();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(metricSample(storePage, "herald_messages_out_total", { command: "store", part: "ingest" })).toBe(2);
    expect(metricSample(storePage, "herald_messages_in_total", { part: "subscription" })).toBe(2);
    expect(metricSample(storePage, "herald_queue_depth", { part: "ingest" })).toBe(0);
    const health = await fetch(`${storeApi}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
  }, 60_000);
});
