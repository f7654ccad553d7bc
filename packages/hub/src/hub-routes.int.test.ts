import { createServer } from "node:http";
import { listenHttp } from "@herald/sdk/internal";
import { describe, expect, it } from "vitest";
import type { Hub } from "./hub.js";
import { hubRoutes } from "./hub-service.js";

describe("the hub's resume route, over a real socket", () => {
  it("answers a name that is not valid percent-encoding with 400 and keeps serving", async () => {
    const resumed: string[] = [];
    const hub = {
      consumers: [],
      resume: async (name: string) => {
        resumed.push(name);
        return name === "mailer";
      },
      close: async () => {},
    } satisfies Hub;
    const server = createServer((request, response) => {
      if (!hubRoutes(hub, () => false)(request, response)) response.writeHead(404).end();
    });
    const http = await listenHttp(server, 0, "127.0.0.1");
    try {
      const post = (path: string) => fetch(`http://127.0.0.1:${http.port}${path}`, { method: "POST" });
      const bad = await post("/consumers/%E0%A4%A/resume");
      expect([bad.status, await bad.text()]).toEqual([400, "bad consumer name: not valid percent-encoding\n"]);
      const good = await post("/consumers/mail%65r/resume");
      expect([good.status, await good.json()]).toEqual([200, { consumer: "mailer", resumed: true }]);
      expect((await post("/consumers/other/resume")).status).toBe(409);
      const foreign = await fetch(`http://127.0.0.1:${http.port}/consumers/mailer/resume`, {
        method: "POST",
        headers: { origin: "https://evil.example" },
      });
      expect(foreign.status).toBe(403);
      expect(resumed).toEqual(["mailer", "other"]);
    } finally {
      await http.close();
    }
  });
});
