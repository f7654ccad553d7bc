import { HeraldError } from "@herald/sdk";
import type { MessageStore } from "./message-store.js";
import { openPostgresStore } from "./postgres/postgres-store.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";

/**
 * Opens the store a `--db` value names: `sqlite:FILE` (or a bare file path) for the embedded
 * store, `postgres://…` or `postgresql://…` for PostgreSQL.
 * @throws HeraldError `E_STORE` when the database cannot be opened, `E_CONFIG` for a bad value.
 */
export async function openStore(spec: string): Promise<MessageStore> {
  if (/^postgres(ql)?:\/\//.test(spec)) return openPostgresStore(spec);
  const file = spec.startsWith("sqlite:") ? spec.slice("sqlite:".length) : spec;
  if (file === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(file))
    throw new HeraldError("E_CONFIG", `--db ${spec}: expected sqlite:FILE or postgres://…`);
  return openSqliteStore(file);
}
