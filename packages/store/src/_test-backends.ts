import { postgresAvailable, testPostgresSchema } from "@herald/test-support";
import type { MessageStore } from "./message-store.js";
import { openPostgresStore } from "./postgres/postgres-store.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";

/**
 * A PostgreSQL store in a schema of its own, dropped when the store closes; its connections carry
 * `applicationName` when given (what a fault test kills by, never another test's connections).
 */
export async function openTestPostgresStore(applicationName?: string): Promise<MessageStore> {
  const schema = testPostgresSchema();
  const store = await openPostgresStore(
    applicationName === undefined ? schema.url : `${schema.url}&application_name=${applicationName}`,
  );
  return {
    ...store,
    async close() {
      await store.close();
      await schema.drop();
    },
  };
}

const hasPostgres = await postgresAvailable();

/** Every backend, for tests that must hold for each: name, open, and whether it runs here. */
export const backends: { name: string; open: () => Promise<MessageStore>; skip: boolean }[] = [
  { name: "SQLite", open: async () => openSqliteStore(":memory:"), skip: false },
  { name: "PostgreSQL", open: openTestPostgresStore, skip: !hasPostgres },
];
