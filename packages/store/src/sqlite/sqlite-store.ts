import { statSync } from "node:fs";
import { HeraldError } from "@herald/sdk";
import { databaseError, openSqliteFile, sqliteDialect } from "@herald/sql";
import type Database from "better-sqlite3";
import type { IngestResult, MessageStore } from "../message-store.js";
import type { SearchQuery } from "../search-query.js";
import type { Sql } from "../sql/filters.js";
import { countSql, hourOf, pageSql, statsSql, toPage, toStatsRows } from "../sql/queries.js";
import type { StoreErrorCode } from "../store-errors.js";
import type { StoredMessage } from "../stored-message.js";
import { sqliteMigrations } from "./migrations.js";

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The most the database may grow to, in bytes: past it, writes fail as on a full disk (kept and
   * retried by the ingest buffer). For a store on a shared disk that must leave room to others.
   */
  maxBytes?: number;
  /** Open only a store that is there (for a command that reads it): never create an empty one. */
  mustExist?: boolean;
}

/**
 * The embedded store: one SQLite file in WAL mode (readers never wait for the writer), migrations
 * run at open, statements prepared once.
 * @throws HeraldError `E_STORE` when the file cannot be opened or migrated.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): MessageStore {
  const db: Database.Database = openSqliteFile(file, { ...options, purpose: "the message store" });
  try {
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
    throw databaseError(file, "open the message store", cause);
  }

  const insert = db.prepare(
    "INSERT OR IGNORE INTO messages (id, time, topic, category, source, keyid, outcome, raw, agent) VALUES (@id, @time, @topic, @category, @source, @keyid, @outcome, @raw, @agent)",
  );
  const insertUser = db.prepare("INSERT OR IGNORE INTO message_users (seq, name) VALUES (?, ?)");
  const insertPackage = db.prepare("INSERT OR IGNORE INTO message_packages (seq, name) VALUES (?, ?)");
  const countHour = db.prepare(
    "INSERT INTO message_hours (hour, n) VALUES (?, ?) ON CONFLICT (hour) DO UPDATE SET n = n + excluded.n",
  );
  const byId = db.prepare("SELECT raw FROM messages WHERE id = ?").pluck();
  // A message dated in the future (kept, as it came) must not make catch-up ask for nothing newer than it.
  const newest = db.prepare("SELECT max(time) FROM messages WHERE time <= ?").pluck();
  const ingestBatch = db.transaction((messages: readonly StoredMessage[]): IngestResult => {
    let inserted = 0;
    const hours = new Map<number, number>();
    for (const message of messages) {
      const { usernames, packages, ...row } = message;
      const result = insert.run(row);
      if (result.changes === 0) continue;
      inserted++;
      const hour = hourOf(message.time);
      hours.set(hour, (hours.get(hour) ?? 0) + 1);
      for (const name of usernames) insertUser.run(result.lastInsertRowid, name);
      for (const name of packages) insertPackage.run(result.lastInsertRowid, name);
    }
    for (const [hour, n] of hours) countHour.run(hour, n);
    return { inserted, duplicates: messages.length - inserted };
  });

  // Query texts depend on which filters are set; each distinct text is prepared once.
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (found === undefined) {
      if (prepared.size > 500) prepared.clear();
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
  const all = (query: Sql) => statement(query.sql).all(...query.params) as Record<string, unknown>[];
  const read = <T>(action: string, run: () => T): Promise<T> => {
    try {
      return Promise.resolve(run());
    } catch (cause) {
      return Promise.reject(databaseError(file, action, cause));
    }
  };
  const page = (query: SearchQuery) =>
    toPage(all(pageSql(query, sqliteDialect)) as { time: number; seq: number; raw: string }[], query.rowsPerPage);
  const count = (filters: SearchQuery | Parameters<MessageStore["count"]>[0]) =>
    Number(all(countSql(filters, sqliteDialect))[0]?.n ?? 0);

  // The file as opened: one removed or replaced under a running store would otherwise take every
  // write into the void (the open descriptor still points at the deleted file), healthy to the end.
  const opened = file === ":memory:" ? undefined : statSync(file);
  const checkFile = () => {
    if (opened === undefined) return;
    const now = statSync(file, { throwIfNoEntry: false });
    if (now === undefined || now.ino !== opened.ino || now.dev !== opened.dev)
      throw new HeraldError<StoreErrorCode>(
        "E_STORE",
        `${file} was ${now === undefined ? "removed" : "replaced"} while the store ran: nothing more is written to the old file; restore it or restart the store`,
      );
  };

  return {
    location: file,
    async ingest(messages) {
      checkFile();
      try {
        return ingestBatch(messages);
      } catch (cause) {
        throw databaseError(file, "store messages", cause);
      }
    },
    search: (query) => read("search", () => ({ ...page(query), total: count(query) })),
    scan: (filters, limit, cursor) =>
      read("read messages", () =>
        page({ ...filters, page: 1, rowsPerPage: limit, order: "asc", ...(cursor === undefined ? {} : { cursor }) }),
      ),
    count: (filters) => read("count", () => count(filters)),
    stats: (filters, by) => read("count", () => toStatsRows(all(statsSql(filters, by, sqliteDialect)), by)),
    get: (id) => read("read a message", () => byId.get(id) as string | undefined),
    latestTime: () => read("read", () => (newest.get(Date.now() + 60_000) as number | null) ?? undefined),
    async close() {
      db.close();
    },
  };
}
