import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "@herald/test-support";
import { describe, expect, it } from "vitest";
import { storedExamples } from "./_test-messages.js";
import { createIngestBuffer } from "./ingest-buffer.js";
import { parseSearchQuery } from "./search-query.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";

const everything = parseSearchQuery(new URLSearchParams());

describe("the ingest buffer", () => {
  it("writes in batches and stores a repeated id once", async () => {
    const store = openSqliteStore(":memory:");
    const buffer = createIngestBuffer(store, { batchSize: 7 });
    const messages = storedExamples(50);
    for (const message of [...messages, ...messages.slice(0, 5)]) await buffer.add(message);
    await buffer.close();
    expect(buffer.stats).toMatchObject({ stored: 50, duplicates: 5, failures: 0, backlog: 0 });
    expect(await store.count(everything)).toBe(50);
    await store.close();
  });

  it("keeps what a full database cannot take, says so, and saves it for import at close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-full-"));
    const store = openSqliteStore(join(dir, "small.sqlite"), { maxBytes: 160 * 1024 });
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (line: string) => errors.push(line) };
    const buffer = createIngestBuffer(store, { batchSize: 50, flushMs: 10, rescueDir: dir, logger });
    const messages = storedExamples(400);
    for (const message of messages) await buffer.add(message);
    await until(() => errors.length > 0, "the first failed write", 5000);
    const stored = await store.count(everything);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(400);
    expect(buffer.stats.backlog).toBe(400 - stored);
    expect(errors[0]).toMatch(
      /small\.sqlite: cannot store messages: database or disk is full \(the disk is full: nothing of this batch was stored\); keeping \d+ message\(s\), retrying/,
    );

    await buffer.close();
    const rescue = readdirSync(dir).find((name) => name.startsWith("herald-store-unsaved-"));
    expect(rescue).toBeDefined();
    const saved = readFileSync(join(dir, rescue!), "utf8").trim().split("\n");
    expect(saved).toHaveLength(400 - stored);
    expect(errors.at(-1)).toContain(`could not be stored; saved to ${join(dir, rescue!)}`);
    // Nothing is lost: what was stored and what was saved are every message, once.
    const storedRaw = (await store.scan(everything, 1000)).raw;
    expect(new Set([...storedRaw, ...saved])).toEqual(new Set(messages.map((message) => message.raw)));
    await store.close();
  }, 30_000);

  it("stops writing, and says why, when its database file is removed under it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-gone-"));
    const file = join(dir, "store.sqlite");
    const store = openSqliteStore(file);
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (line: string) => errors.push(line) };
    const buffer = createIngestBuffer(store, { batchSize: 10, flushMs: 10, rescueDir: dir, logger });
    for (const message of storedExamples(20)) await buffer.add(message);
    await buffer.flush();
    expect([buffer.stats.stored, buffer.stats.failing]).toEqual([20, false]);
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    for (const message of storedExamples(5, Date.parse("2026-11-28T00:00:00Z"))) await buffer.add(message);
    await until(() => errors.length > 0, "the failed write", 5000);
    expect(errors[0]).toMatch(/store\.sqlite was removed while the store ran: nothing more is written to the old file/);
    expect([buffer.stats.stored, buffer.stats.backlog, buffer.stats.failing]).toEqual([20, 5, true]);
    await buffer.close().catch(() => {});
    await store.close();
  });
});
