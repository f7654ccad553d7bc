import { freePort } from "@herald/test-support";
import { describe, expect, it } from "vitest";
import { createCommandMetrics } from "./metrics.js";
import { opsRoutes } from "./ops-routes.js";
import { serveOps } from "./ops-server.js";

describe("the ops server", () => {
  it("answers /healthz with the health check and /metrics with each part's readings", async () => {
    let healthy = true;
    let received = 0;
    const metrics = createCommandMetrics("test");
    metrics.add({ part: "relay", messagesIn: () => received, rejected: () => ({ "bad-signature": 2 }) });
    const port = await freePort();
    const server = await serveOps(
      opsRoutes(metrics, () => ({ ok: healthy, broker: healthy ? "connected" : "down" })),
      port,
      "127.0.0.1",
    );
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      healthy = false;
      const down = await fetch(`${base}/healthz`);
      expect([down.status, await down.json()]).toEqual([503, { ok: false, broker: "down" }]);
      received = 7;
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/^herald_messages_in_total\{part="relay",command="test"\} 7$/m);
      expect(text).toMatch(/herald_messages_rejected_total\{[^}]*reason="bad-signature"[^}]*\} 2/);
      expect((await fetch(`${base}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
