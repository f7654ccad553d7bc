import { HeraldError } from "@herald/sdk";

// SQLite's and PostgreSQL's "the disk is full" (SQLITE_FULL, 53100 disk_full).
const diskFull = new Set(["SQLITE_FULL", "53100"]);

/** How the message store and the other database users can fail: `E_STORE`, the database did. */
export type StoreErrorCode = "E_STORE";

/**
 * The one place where database errors (better-sqlite3's, pg's) become Herald errors: `E_STORE`,
 * naming the database and what was being done, with the driver's error as `cause`.
 */
export function databaseError(location: string, action: string, cause: unknown): HeraldError<StoreErrorCode> {
  const error = cause as { code?: string; message?: string };
  const hint =
    error.code !== undefined && diskFull.has(error.code) ? " (the disk is full: nothing of this batch was stored)" : "";
  const text = error.message || error.code || String(cause);
  return new HeraldError<StoreErrorCode>("E_STORE", `${location}: cannot ${action}: ${text}${hint}`, { cause });
}
