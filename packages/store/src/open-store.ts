import { parseDatabaseSpec } from "@herald/sql";
import type { MessageStore } from "./message-store.js";
import { openPostgresStore } from "./postgres/postgres-store.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";

/**
 * Opens the store a `--db` value names: `sqlite:FILE` (or a bare file path) for the embedded
 * store, `postgres://…` or `postgresql://…` for PostgreSQL.
 * @throws HeraldError `E_STORE` when the database cannot be opened, `E_CONFIG` for a bad value.
 */
export async function openStore(spec: string): Promise<MessageStore> {
  const parsed = parseDatabaseSpec(spec, "--db");
  return parsed.kind === "postgres" ? openPostgresStore(spec) : openSqliteStore(parsed.file);
}
