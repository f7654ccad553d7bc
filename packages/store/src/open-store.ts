import { parseDatabaseSpec } from "@herald/sql";
import type { MessageStore } from "./message-store.js";
import { openPostgresStore } from "./postgres/postgres-store.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * Open only a store that is there, for a command that reads it (an export): a mistyped SQLite
   * path is then an error, instead of a new empty store that exports nothing.
   */
  mustExist?: boolean;
}

/**
 * Opens the store a `--db` value names: `sqlite:FILE` (or a bare file path) for the embedded
 * store, `postgres://…` or `postgresql://…` for PostgreSQL.
 * @throws HeraldError `E_STORE` when the database cannot be opened, `E_CONFIG` for a bad value.
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<MessageStore> {
  const parsed = parseDatabaseSpec(spec, "--db");
  return parsed.kind === "postgres" ? openPostgresStore(spec) : openSqliteStore(parsed.file, options);
}
