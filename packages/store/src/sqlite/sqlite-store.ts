import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { HeraldError } from "@herald/sdk";
import Database from "better-sqlite3";
import type { IngestResult, MessageStore } from "../message-store.js";
import { sqlWhere } from "../sql-filters.js";
import type { StoredMessage } from "../stored-message.js";
import { sqliteMigrations } from "./migrations.js";

/** Database errors become one E_STORE error naming the file; here only. */
function storeError(file: string, action: string, cause: unknown): HeraldError {
  const error = cause as { code?: string; message?: string };
  const hint = error.code === "SQLITE_FULL" ? " (the disk is full: nothing of this batch was stored)" : "";
  return new HeraldError("E_STORE", `${file}: cannot ${action}: ${error.message ?? cause}${hint}`, { cause });
}

/**
 * The embedded store: one SQLite file in WAL mode (readers never wait for the writer), migrations
 * run at open, statements prepared once.
 * @throws HeraldError `E_STORE` when the file cannot be opened or migrated.
 */
export function openSqliteStore(file: string): MessageStore {
  let db: Database.Database;
  try {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
    const done = new Set(db.prepare("SELECT version FROM schema_migrations").pluck().all() as number[]);
    sqliteMigrations.forEach((sql, index) => {
      if (done.has(index + 1)) return;
      db.transaction(() => {
        db.exec(sql);
        db.prepare("INSERT INTO schema_migrations (version) VALUES (?)").run(index + 1);
      })();
    });
  } catch (cause) {
    throw storeError(file, "open the message store", cause);
  }

  const insert = db.prepare(
    "INSERT OR IGNORE INTO messages (id, time, topic, category, source, keyid, outcome, raw) VALUES (@id, @time, @topic, @category, @source, @keyid, @outcome, @raw)",
  );
  const insertUser = db.prepare("INSERT OR IGNORE INTO message_users (seq, name) VALUES (?, ?)");
  const insertPackage = db.prepare("INSERT OR IGNORE INTO message_packages (seq, name) VALUES (?, ?)");
  const byId = db.prepare("SELECT raw FROM messages WHERE id = ?").pluck();
  const ingestBatch = db.transaction((messages: readonly StoredMessage[]): IngestResult => {
    let inserted = 0;
    for (const message of messages) {
      const { usernames, packages, ...row } = message;
      const result = insert.run(row);
      if (result.changes === 0) continue;
      inserted++;
      for (const name of usernames) insertUser.run(result.lastInsertRowid, name);
      for (const name of packages) insertPackage.run(result.lastInsertRowid, name);
    }
    return { inserted, duplicates: messages.length - inserted };
  });

  return {
    async ingest(messages) {
      try {
        return ingestBatch(messages);
      } catch (cause) {
        throw storeError(file, "store messages", cause);
      }
    },
    async search(query) {
      const where = sqlWhere(query);
      const direction = query.order === "asc" ? "ASC" : "DESC";
      const total = db
        .prepare(`SELECT count(*) FROM messages m ${where.sql}`)
        .pluck()
        .get(...where.params) as number;
      const raw = db
        .prepare(
          `SELECT m.raw FROM messages m ${where.sql} ORDER BY m.time ${direction}, m.seq ${direction} LIMIT ? OFFSET ?`,
        )
        .pluck()
        .all(...where.params, query.rowsPerPage, (query.page - 1) * query.rowsPerPage) as string[];
      return { raw, total };
    },
    async count(filters) {
      const where = sqlWhere(filters);
      return db
        .prepare(`SELECT count(*) FROM messages m ${where.sql}`)
        .pluck()
        .get(...where.params) as number;
    },
    async get(id) {
      return byId.get(id) as string | undefined;
    },
    async close() {
      db.close();
    },
  };
}
