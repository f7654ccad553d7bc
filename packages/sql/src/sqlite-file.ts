import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { makeDirectory } from "@herald/sdk/internal";
import Database from "better-sqlite3";
import { databaseError } from "./database-error.js";
import { topicMatchesFunction } from "./sql-dialect.js";

/** Options of {@link openSqliteFile}. */
export interface SqliteFileOptions {
  /** How long a writer waits for another connection's lock, in milliseconds (default 5000). */
  busyTimeoutMs?: number;
  /** The most the database may grow to, in bytes: past it, writes fail as on a full disk. */
  maxBytes?: number;
  /** What the file is, for the error when it cannot be opened (default `the database`). */
  purpose?: string;
  /**
   * Readable and writable by its owner only (0600), created so and made so if it exists: for a
   * file that holds a secret. SQLite gives its `-wal` and `-shm` files the same mode.
   */
  ownerOnly?: boolean;
  /** Only open a file that is there (a command that reads, such as an export): never create one. */
  mustExist?: boolean;
}

/**
 * Opens (creating it and its folder if needed) a SQLite file the way every Herald store uses one:
 * WAL (readers never wait for the writer), `synchronous = NORMAL` (a commit survives a process
 * kill), a busy timeout, and `herald_topic_matches` for topic patterns.
 * @throws HeraldError `E_STORE` naming the file when it cannot be opened.
 */
export function openSqliteFile(file: string, options: SqliteFileOptions = {}): Database.Database {
  try {
    if (options.mustExist && file !== ":memory:" && !existsSync(file)) {
      throw Object.assign(new Error("no such file (ENOENT)"), { code: "ENOENT" });
    }
    if (file !== ":memory:") makeDirectory(dirname(file));
    if (options.ownerOnly && file !== ":memory:") {
      // Created 0600 before SQLite opens it (an empty file is an empty database), never widened after.
      closeSync(openSync(file, "a", 0o600));
      chmodSync(file, 0o600);
    }
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (options.maxBytes !== undefined) {
      const pageSize = db.pragma("page_size", { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
    }
    db.function("herald_topic_matches", { deterministic: true }, topicMatchesFunction());
    return db;
  } catch (cause) {
    throw databaseError(file, `open ${options.purpose ?? "the database"}`, cause);
  }
}
