import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { storedExamples } from "../_test-messages.js";
import { parseSearchQuery } from "../search-query.js";
import { openSqliteStore } from "./sqlite-store.js";

const search = (query: string) => parseSearchQuery(new URLSearchParams(query));

describe("the SQLite message store", () => {
  it("stores a duplicate id once and answers a message byte for byte", async () => {
    const store = openSqliteStore(":memory:");
    const messages = storedExamples(10);
    expect(await store.ingest(messages)).toEqual({ inserted: 10, duplicates: 0 });
    expect(await store.ingest(messages.slice(0, 3))).toEqual({ inserted: 0, duplicates: 3 });
    expect(await store.get(messages[4]!.id)).toBe(messages[4]!.raw);
    expect(await store.get("nope")).toBeUndefined();
    await store.close();
  });

  const examples = storedExamples(36);
  const t0 = Date.parse("2026-11-27T12:00:00Z");
  // given a query, want what a plain filter over the same messages keeps.
  it.each<[string, (message: (typeof examples)[number]) => boolean]>([
    ["", () => true],
    ["topic=org.example.prod.git.receive", (m) => m.topic === "org.example.prod.git.receive"],
    [
      "topic=org.example.prod.git.receive&topic=org.example.prod.logger.log",
      (m) => ["org.example.prod.git.receive", "org.example.prod.logger.log"].includes(m.topic),
    ],
    ["category=wiki", (m) => m.category === "wiki"],
    [
      "category=wiki&not_topic=org.example.prod.wiki.page.delete",
      (m) => m.category === "wiki" && m.topic !== "org.example.prod.wiki.page.delete",
    ],
    ["user=alice", (m) => m.usernames.includes("alice")],
    ["user=alice&category=git", (m) => m.usernames.includes("alice") && m.category === "git"],
    ["not_user=alice", (m) => !m.usernames.includes("alice")],
    ["package=herald", (m) => m.packages.includes("herald")],
    ["contains=Main%20Page", (m) => m.raw.includes("Main Page")],
    ["not_contains=herald", (m) => !m.raw.includes("herald")],
    ["start=1795780800&end=1795781400", (m) => m.time >= t0 && m.time < t0 + 600_000],
    ["start=1795780800&delta=600", (m) => m.time >= t0 && m.time < t0 + 600_000],
    ["source=nobody", () => false],
  ])("filters %j as a plain filter would", async (query, keep) => {
    const store = openSqliteStore(":memory:");
    await store.ingest(examples);
    const want = examples.filter(keep).length;
    expect(want).toBeLessThanOrEqual(36);
    expect((await store.search(search(query))).total).toBe(want);
    expect(await store.count(search(query))).toBe(want);
    await store.close();
  });

  it("pages newest first by default, oldest first on request", async () => {
    const store = openSqliteStore(":memory:");
    const messages = storedExamples(30);
    await store.ingest(messages);
    const newest = await store.search(search("rows_per_page=10&page=1"));
    expect(newest.raw).toEqual(
      messages
        .slice(20)
        .reverse()
        .map((message) => message.raw),
    );
    const oldestThird = await store.search(search("rows_per_page=10&page=3&order=asc"));
    expect(oldestThird.raw).toEqual(messages.slice(20).map((message) => message.raw));
    await store.close();
  });

  it("runs its migrations once and keeps what it stored across restarts", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "herald-store-")), "messages.sqlite");
    const first = openSqliteStore(file);
    await first.ingest(storedExamples(5));
    await first.close();
    const second = openSqliteStore(file);
    expect(await second.count(search(""))).toBe(5);
    await second.close();
  });

  it("fails clearly when the database cannot be opened", () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-store-"));
    writeFileSync(join(dir, "not-a-folder"), "");
    const file = join(dir, "not-a-folder", "messages.sqlite");
    expect(() => openSqliteStore(file)).toThrow(`${file}: cannot open the message store: `);
  });
});
