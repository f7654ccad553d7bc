import { describe, expect, it } from "vitest";
import { storedExamples } from "./_test-messages.js";
import { startQueryApi } from "./http-api.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";

describe("the query API", () => {
  it("answers Herald's search, count and id under /herald/, with messages exactly as stored", async () => {
    const store = openSqliteStore(":memory:");
    const messages = storedExamples(30);
    await store.ingest(messages);
    const api = await startQueryApi(store, { port: 0 });
    const base = `http://127.0.0.1:${api.port}`;

    const search = await fetch(`${base}/herald/search?category=git&rows_per_page=2&order=asc`);
    const text = await search.text();
    const body = JSON.parse(text) as { raw_messages: unknown[]; total: number; pages: number; count: number };
    const git = messages.filter((message) => message.category === "git");
    expect([search.status, body.total, body.pages, body.count]).toEqual([
      200,
      git.length,
      Math.ceil(git.length / 2),
      2,
    ]);
    expect(text).toContain(`"raw_messages":[${git[0]!.raw},${git[1]!.raw}]`);

    const byId = await fetch(`${base}/herald/id?id=${messages[7]!.id}`);
    expect([byId.status, byId.headers.get("content-type"), await byId.text()]).toEqual([
      200,
      "application/cloudevents+json",
      messages[7]!.raw,
    ]);
    expect((await fetch(`${base}/herald/id?id=missing`)).status).toBe(404);

    const count = await fetch(`${base}/herald/count?user=alice`);
    expect(await count.json()).toEqual({
      total: messages.filter((message) => message.usernames.includes("alice")).length,
    });

    const bad = await fetch(`${base}/herald/search?rows_per_page=500`);
    expect([bad.status, await bad.json()]).toEqual([400, { error: "rows_per_page: at most 100" }]);
    await api.close();
    await store.close();
  });
});
