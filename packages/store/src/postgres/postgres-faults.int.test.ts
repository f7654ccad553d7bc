import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEnvelope } from "@herald/sdk";
import { postgresAvailable, testPostgresUrl } from "@herald/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openTestPostgresStore } from "../_test-backends.js";
import { storedExamples } from "../_test-messages.js";
import { createIngestBuffer } from "../ingest-buffer.js";
import { parseSearchQuery } from "../search-query.js";
import { toStoredMessage } from "../stored-message.js";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("the PostgreSQL store under database faults", () => {
  it("survives its connections being terminated mid-stream, and stores every message once", async () => {
    // Its own connections only, by name: the suite's other PostgreSQL tests run at the same time.
    const applicationName = `herald_faults_${randomBytes(4).toString("hex")}`;
    const store = await openTestPostgresStore(applicationName);
    const buffer = createIngestBuffer(store, { batchSize: 50, flushMs: 5 });
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    const messages = storedExamples(2000);
    let killed = 0;
    for (const [index, message] of messages.entries()) {
      await buffer.add(message);
      if (index % 400 === 200) {
        const result = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND application_name = $1 AND state IS NOT NULL",
          [applicationName],
        );
        killed += result.rowCount ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    await buffer.flush();
    for (let tries = 0; tries < 100 && buffer.stats.backlog > 0; tries++) await new Promise((r) => setTimeout(r, 100));
    expect(killed).toBeGreaterThan(0);
    expect(await store.count(parseSearchQuery(new URLSearchParams()))).toBe(2000);
    await admin.end();
    await buffer.close();
    await store.close();
  });

  it("stores a message whose indexed fields hold NUL, which PostgreSQL refuses in text, with its batch", async () => {
    const store = await openTestPostgresStore();
    // As a foreign sender may write it (createEnvelope refuses such a source).
    const envelope = {
      ...createEnvelope({
        topic: "org.example.prod.account.user.create",
        data: { username: "ali\u0000ce" },
        dataschema: "herald:account.user.create/1.0",
      }),
      source: "/accounts/a\u0000b",
    };
    const raw = Buffer.from(JSON.stringify(envelope));
    const poisoned = toStoredMessage({ topic: envelope.type, envelope, raw, outcome: "unsigned", schema: "valid" });
    const [other] = storedExamples(1);
    expect(await store.ingest([poisoned, other!])).toEqual({ inserted: 2, duplicates: 0 });
    // The archive keeps the message as it came; only the index columns lost the NUL.
    expect(await store.get(poisoned.id)).toBe(raw.toString("utf8"));
    await store.close();
  });

  it("sets aside a message the database refuses on its own, storing the rest of its batch", async () => {
    const store = await openTestPostgresStore();
    const deadLetterFile = join(mkdtempSync(join(tmpdir(), "herald-dead-")), "dead.ndjson");
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (line: string) => errors.push(line) };
    const buffer = createIngestBuffer(store, { batchSize: 20, flushMs: 5, deadLetterFile, logger });
    // A source too large for a btree index entry (random, so compression cannot save it): 54000.
    const envelope = createEnvelope({
      topic: "org.example.prod.git.receive",
      data: {},
      source: `/${randomBytes(6000).toString("hex")}`,
    });
    const raw = Buffer.from(JSON.stringify(envelope));
    const refused = toStoredMessage({ topic: envelope.type, envelope, raw, outcome: "unsigned", schema: "valid" });
    const others = storedExamples(39);
    const settled = [...others.slice(0, 10), refused, ...others.slice(10)].map((message) => buffer.addDurable(message));
    await Promise.all(settled);
    expect(await store.count(parseSearchQuery(new URLSearchParams()))).toBe(39);
    expect(buffer.stats).toMatchObject({ stored: 39, deadLettered: 1, failing: false, backlog: 0 });
    expect(readFileSync(deadLetterFile, "utf8")).toBe(`${raw.toString("utf8")}\n`);
    expect(errors.join("\n")).toMatch(/refused 1 message\(s\) .*index row.*; set aside in .*dead\.ndjson/);
    await buffer.close();
    await store.close();
  });
});
