import { describe, expect, it } from "vitest";
import { backends } from "./_test-backends.js";
import { storedExamples } from "./_test-messages.js";
import { parseSearchQuery, parseStatsQuery } from "./search-query.js";

const search = (query: string) => parseSearchQuery(new URLSearchParams(query));
const examples = storedExamples(36);
const t0 = Date.parse("2026-11-27T12:00:00Z");

describe.each(backends)("the $name message store", ({ open, skip }) => {
  it.skipIf(skip)(
    "stores a duplicate id once, also within one batch, and answers a message byte for byte",
    async () => {
      const store = await open();
      try {
        const messages = storedExamples(10);
        expect(await store.ingest(messages)).toEqual({ inserted: 10, duplicates: 0 });
        expect(await store.ingest([...messages.slice(0, 3), messages[0]!])).toEqual({ inserted: 0, duplicates: 4 });
        expect(await store.get(messages[4]!.id)).toBe(messages[4]!.raw);
        expect(await store.get("nope")).toBeUndefined();
        expect(await store.count(search(""))).toBe(10);
        expect(await store.latestTime()).toBe(messages[9]!.time);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(skip)("catches up from its newest message not in the future: one dated 9999 changes nothing", async () => {
    const store = await open();
    try {
      const messages = storedExamples(3);
      await store.ingest([...messages, ...storedExamples(1, Date.parse("9999-01-01T00:00:00Z"))]);
      expect(await store.latestTime()).toBe(messages[2]!.time);
    } finally {
      await store.close();
    }
  });

  // given a query, want what a plain filter over the same messages keeps.
  it.skipIf(skip)("filters as a plain filter over the same messages would", async () => {
    const store = await open();
    try {
      await store.ingest(examples);
      const cases: [string, (message: (typeof examples)[number]) => boolean][] = [
        ["", () => true],
        ["topic=org.example.prod.git.receive", (m) => m.topic === "org.example.prod.git.receive"],
        [
          "topic=org.example.prod.git.receive&topic=org.example.prod.logger.log",
          (m) => ["org.example.prod.git.receive", "org.example.prod.logger.log"].includes(m.topic),
        ],
        ["topic=org.example.*.git.%23", (m) => m.category === "git"],
        ["topic=org.example.prod.*.*.complete", (m) => /^org\.example\.prod\.[^.]+\.[^.]+\.complete$/.test(m.topic)],
        ["topic=%23.delete&topic=org.example.prod.logger.log", (m) => /\.delete$|logger\.log$/.test(m.topic)],
        ["not_topic=org.example.prod.wiki.%23", (m) => m.category !== "wiki"],
        ["category=wiki", (m) => m.category === "wiki"],
        [
          "category=wiki&not_topic=org.example.prod.wiki.page.delete",
          (m) => m.category === "wiki" && m.topic !== "org.example.prod.wiki.page.delete",
        ],
        ["user=alice", (m) => m.usernames.includes("alice")],
        ["user=alice&category=git", (m) => m.usernames.includes("alice") && m.category === "git"],
        ["not_user=alice", (m) => !m.usernames.includes("alice")],
        ["package=herald", (m) => m.packages.includes("herald")],
        ["not_package=herald", (m) => !m.packages.includes("herald")],
        ["contains=Main%20Page", (m) => m.raw.includes("Main Page")],
        ["contains=50%25", (m) => m.raw.includes("50%")],
        ["not_contains=herald", (m) => !m.raw.includes("herald")],
        ["start=1795780800&end=1795781400", (m) => m.time >= t0 && m.time < t0 + 600_000],
        ["start=1795780800&delta=600", (m) => m.time >= t0 && m.time < t0 + 600_000],
        ["source=nobody", () => false],
      ];
      for (const [query, keep] of cases) {
        const want = examples.filter(keep).length;
        expect([query, (await store.search(search(query))).total]).toEqual([query, want]);
        expect([query, await store.count(search(query))]).toEqual([query, want]);
      }
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)("counts over hours exactly, partial hours at both ends included, duplicates once", async () => {
    const store = await open();
    try {
      const messages = storedExamples(200); // 12:00 to 15:19, one a minute
      await store.ingest(messages.slice(0, 120));
      await store.ingest(messages.slice(100));
      for (const [start, end] of [
        ["2026-11-27T12:30:00Z", "2026-11-27T14:45:00Z"],
        ["2026-11-27T12:00:00Z", "2026-11-27T15:00:00Z"],
        ["2026-11-27T11:00:00Z", "2026-11-27T13:00:30Z"],
        ["2026-11-27T13:59:59.999Z", "2026-11-27T14:00:00.001Z"],
      ] as const) {
        const want = messages.filter((m) => m.time >= Date.parse(start) && m.time < Date.parse(end)).length;
        expect([start, end, await store.count(search(`start=${start}&end=${end}`))]).toEqual([start, end, want]);
      }
      expect(await store.count(search("start=2026-11-27T13:10:00Z"))).toBe(130);
      expect(await store.count(search("end=2026-11-27T13:10:00Z"))).toBe(70);
      expect((await store.search(search(""))).total).toBe(200);
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)("pages by number and by cursor, newest first by default", async () => {
    const store = await open();
    try {
      const messages = storedExamples(30);
      await store.ingest(messages);
      const raws = messages.map((message) => message.raw);
      const newest = await store.search(search("rows_per_page=10&page=1"));
      expect(newest.raw).toEqual(raws.slice(20).reverse());
      expect((await store.search(search("rows_per_page=10&page=2"))).raw).toEqual(raws.slice(10, 20).reverse());
      expect((await store.search(search("rows_per_page=10&page=3&order=asc"))).raw).toEqual(raws.slice(20));
      expect((await store.search(search("rows_per_page=10&page=4"))).raw).toEqual([]);

      const walked: string[] = [];
      let cursor = (await store.scan(search(""), 7)).next;
      walked.push(...(await store.scan(search(""), 7)).raw);
      while (cursor !== undefined) {
        const page = await store.scan(search(""), 7, cursor);
        walked.push(...page.raw);
        cursor = page.next;
      }
      expect(walked).toEqual(raws);
      const last = await store.search(search("rows_per_page=10&page=3"));
      expect(last.next).toBeUndefined();
      const first = await store.search(search("rows_per_page=10"));
      expect(first.next).toBeDefined();
      expect((await store.search({ ...search("rows_per_page=10"), cursor: first.next! })).raw).toEqual(
        raws.slice(10, 20).reverse(),
      );
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)("counts by topic, user and hour", async () => {
    const store = await open();
    try {
      await store.ingest(examples);
      const stats = (query: string) => {
        const { filters, by } = parseStatsQuery(new URLSearchParams(query));
        return store.stats(filters, by);
      };
      const byTopic = await stats("by=topic");
      expect(byTopic.reduce((sum, row) => sum + row.count, 0)).toBe(36);
      const perTopic = new Map<string, number>();
      for (const message of examples) perTopic.set(message.topic, (perTopic.get(message.topic) ?? 0) + 1);
      const busiest = Math.max(...perTopic.values());
      expect(byTopic[0]?.count).toBe(busiest);
      expect(perTopic.get(byTopic[0]?.topic as string)).toBe(busiest);
      const alice = examples.filter((m) => m.usernames.includes("alice")).length;
      // The filter keeps messages naming alice; grouping counts every user those messages name.
      const aboutAlice = await stats("by=user&user=alice");
      expect(aboutAlice[0]).toEqual({ user: "alice", count: alice });
      expect(aboutAlice.length).toBeGreaterThan(1);
      expect(await stats("by=hour")).toEqual([{ hour: "2026-11-27T12:00:00.000Z", count: 36 }]);
      const series = await stats("by=category&by=hour&category=wiki");
      expect(series).toEqual([
        {
          category: "wiki",
          hour: "2026-11-27T12:00:00.000Z",
          count: examples.filter((m) => m.category === "wiki").length,
        },
      ]);
    } finally {
      await store.close();
    }
  });
});
