import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresAvailable, testPostgresUrl } from "@herald/test-support";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { numberPlaceholders, postgresDialect, sqliteDialect } from "./sql-dialect.js";
import { openSqliteFile } from "./sqlite-file.js";

const topics = ["org.example.prod.git.receive", "org.example.stg.wiki.article.edit", "org.other.git"];
const cases: [pattern: string, matching: string[]][] = [
  ["org.example.*.git.#", ["org.example.prod.git.receive"]],
  ["#.git.#", ["org.example.prod.git.receive", "org.other.git"]],
  ["org.#.edit", ["org.example.stg.wiki.article.edit"]],
  // 26 alternating # (what stalled a store for two minutes through a backtracking RegExp).
  [Array.from({ length: 26 }, (_, i) => (i % 2 === 0 ? "#" : "a")).join("."), []],
  ["#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.git", ["org.other.git"]],
];
const dir = mkdtempSync(join(tmpdir(), "herald-sql-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasPostgres = await postgresAvailable();

describe("topic patterns inside SQL", () => {
  it("match in SQLite through Herald's matcher, quickly whatever the pattern", () => {
    const db = openSqliteFile(join(dir, "topics.db"));
    db.exec("CREATE TABLE m (topic TEXT)");
    for (const topic of topics) db.prepare("INSERT INTO m VALUES (?)").run(topic);
    for (const [pattern, matching] of cases) {
      const sql = `SELECT topic FROM m WHERE ${sqliteDialect.topicMatches("topic")} ORDER BY topic`;
      const found = db.prepare(sql).pluck().all(sqliteDialect.topicPatternParam(pattern));
      expect([pattern, found]).toEqual([pattern, matching.sort()]);
    }
    // No duration is asserted: a matcher that backtracked on these would not finish at all
    // (the test's timeout), while a linear one answers in microseconds.
    db.close();
  });

  it.skipIf(!hasPostgres)("match in PostgreSQL through its regular expressions, with the same answers", async () => {
    const client = new pg.Client({ connectionString: testPostgresUrl });
    await client.connect();
    try {
      for (const [pattern, matching] of cases) {
        const sql = numberPlaceholders(
          `SELECT topic FROM unnest(?::text[]) AS m(topic) WHERE ${postgresDialect.topicMatches("topic")} ORDER BY topic`,
        );
        const { rows } = await client.query<{ topic: string }>(sql, [
          topics,
          postgresDialect.topicPatternParam(pattern),
        ]);
        expect([pattern, rows.map((row) => row.topic)]).toEqual([pattern, matching.sort()]);
      }
    } finally {
      await client.end();
    }
  });
});
