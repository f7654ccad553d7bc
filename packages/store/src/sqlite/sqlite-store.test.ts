import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { storedExamples } from "../_test-messages.js";
import { parseSearchQuery } from "../search-query.js";
import { openSqliteStore } from "./sqlite-store.js";

const search = (query: string) => parseSearchQuery(new URLSearchParams(query));

describe("the SQLite message store", () => {
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
