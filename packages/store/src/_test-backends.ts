import { randomBytes } from "node:crypto";
import pg from "pg";
import type { MessageStore } from "./message-store.js";
import { openPostgresStore } from "./postgres/postgres-store.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";

/** The PostgreSQL the tests use: this machine's, or `HERALD_TEST_POSTGRES`. */
export const testPostgresUrl = process.env.HERALD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Whether PostgreSQL answers. In CI it must (the tests then fail rather than skip); on a laptop
 * without it the PostgreSQL cases are skipped.
 */
export async function postgresAvailable(): Promise<boolean> {
  if (process.env.CI === "true") return true;
  const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A store in a schema of its own, dropped when the store closes. */
export async function openTestPostgresStore(): Promise<MessageStore> {
  const schema = `herald_test_${randomBytes(6).toString("hex")}`;
  const store = await openPostgresStore(`${testPostgresUrl}?schema=${schema}`);
  return {
    ...store,
    async close() {
      await store.close();
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

const hasPostgres = await postgresAvailable();

/** Every backend, for tests that must hold for each: name, open, and whether it runs here. */
export const backends: { name: string; open: () => Promise<MessageStore>; skip: boolean }[] = [
  { name: "SQLite", open: async () => openSqliteStore(":memory:"), skip: false },
  { name: "PostgreSQL", open: openTestPostgresStore, skip: !hasPostgres },
];
