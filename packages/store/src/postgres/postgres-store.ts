import { createHash } from "node:crypto";
import { HeraldError } from "@herald/sdk";
import {
  createPostgresPool,
  databaseError,
  ensurePostgresSchema,
  numberPlaceholders,
  parseDatabaseSpec,
  postgresDialect,
} from "@herald/sql";
import type pg from "pg";
import type { IngestResult, MessageStore } from "../message-store.js";
import type { SearchFilters, SearchQuery } from "../search-query.js";
import type { Sql } from "../sql/filters.js";
import { countSql, hourOf, pageSql, statsSql, toPage, toStatsRows } from "../sql/queries.js";
import type { StoredMessage } from "../stored-message.js";
import { postgresMigrations } from "./migrations.js";

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** Connections in the pool (default 4: one writer, the rest for queries). */
  poolSize?: number;
}

/**
 * The fleet store: PostgreSQL through a connection pool opened once. A `schema` query parameter
 * (`postgres://host/db?schema=herald`) keeps Herald's tables in their own schema, created if
 * needed. Migrations run at open. Queries are named prepared statements, planned once per
 * connection.
 * @throws HeraldError `E_STORE` when the database cannot be reached or migrated.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<MessageStore> {
  const spec = parseDatabaseSpec(url);
  if (spec.kind !== "postgres") throw new HeraldError("E_CONFIG", `${spec.location}: not a postgres:// URL`);
  const { location } = spec;
  const pool = createPostgresPool(spec, options.poolSize ?? 4);
  try {
    const client = await pool.connect();
    try {
      await ensurePostgresSchema(client, spec);
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(4242001)");
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
      const done = new Set(
        (await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
          (row) => row.version,
        ),
      );
      for (const [index, sql] of postgresMigrations.entries()) {
        if (done.has(index + 1)) continue;
        await client.query(sql);
        await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [index + 1]);
      }
      await client.query("COMMIT");
    } catch (cause) {
      await client.query("ROLLBACK").catch(() => {});
      throw cause;
    } finally {
      client.release();
    }
  } catch (cause) {
    await pool.end().catch(() => {});
    throw databaseError(location, "open the message store", cause);
  }

  const query = async (sql: Sql) => {
    const text = numberPlaceholders(sql.sql);
    const name = `h${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    return (await pool.query({ name, text, values: sql.params })).rows as Record<string, unknown>[];
  };
  const read = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw databaseError(location, action, cause);
    }
  };
  const page = async (search: SearchQuery) =>
    toPage(
      (await query(pageSql(search, postgresDialect))) as { time: string; seq: string; raw: string }[],
      search.rowsPerPage,
    );
  const count = async (filters: SearchFilters) => Number((await query(countSql(filters, postgresDialect)))[0]?.n);

  return {
    location,
    ingest: (messages) => read("store messages", () => ingestBatch(pool, messages)),
    search: (search) =>
      read("search", async () => {
        const [found, total] = await Promise.all([page(search), count(search)]);
        return { ...found, total };
      }),
    scan: (filters, limit, cursor) =>
      read("read messages", () =>
        page({ ...filters, page: 1, rowsPerPage: limit, order: "asc", ...(cursor === undefined ? {} : { cursor }) }),
      ),
    count: (filters) => read("count", () => count(filters)),
    stats: (filters, by) =>
      read("count", async () => toStatsRows(await query(statsSql(filters, by, postgresDialect)), by)),
    get: (id) =>
      read(
        "read a message",
        async () =>
          (await query({ sql: "SELECT raw FROM messages WHERE id = ?", params: [id] }))[0]?.raw as string | undefined,
      ),
    latestTime: () =>
      read("read", async () => {
        // A message dated in the future must not make catch-up ask for nothing newer than it.
        const newest = (
          await query({ sql: "SELECT max(time) AS t FROM messages WHERE time <= ?", params: [Date.now() + 60_000] })
        )[0]?.t;
        return newest === null || newest === undefined ? undefined : Number(newest);
      }),
    close: () => pool.end(),
  };
}

/**
 * One batch in one transaction: the messages as one multi-row insert (arrays unnested server
 * side, so a batch of 1,000 is one round trip), then their users and packages.
 */
async function ingestBatch(pool: pg.Pool, messages: readonly StoredMessage[]): Promise<IngestResult> {
  if (messages.length === 0) return { inserted: 0, duplicates: 0 };
  const column = <K extends keyof StoredMessage>(key: K) => messages.map((message) => message[key]);
  const client = await pool.connect();
  // A connection cut while checked out (a proxy, pg_terminate_backend) emits 'error' on the
  // client: handled here, it fails this batch (kept and retried) instead of ending the process.
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const inserted = await client.query<{ seq: string; id: string; time: string }>(
      `INSERT INTO messages (id, time, topic, category, source, keyid, outcome, raw, agent)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       ON CONFLICT (id) DO NOTHING RETURNING seq, id, time`,
      [
        column("id"),
        column("time"),
        column("topic"),
        column("category"),
        column("source"),
        column("keyid"),
        column("outcome"),
        column("raw"),
        column("agent"),
      ],
    );
    const seqOf = new Map(inserted.rows.map((row) => [row.id, row.seq]));
    for (const [table, key] of [
      ["message_users", "usernames"],
      ["message_packages", "packages"],
    ] as const) {
      const seqs: string[] = [];
      const names: string[] = [];
      for (const message of messages) {
        const seq = seqOf.get(message.id);
        if (seq === undefined) continue;
        for (const name of message[key]) {
          seqs.push(seq);
          names.push(name);
        }
      }
      if (seqs.length > 0)
        await client.query(
          `INSERT INTO ${table} (seq, name) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`,
          [seqs, names],
        );
    }
    const hours = new Map<number, number>();
    for (const row of inserted.rows) {
      const hour = hourOf(Number(row.time));
      hours.set(hour, (hours.get(hour) ?? 0) + 1);
    }
    if (hours.size > 0)
      await client.query(
        `INSERT INTO message_hours (hour, n) SELECT * FROM unnest($1::bigint[], $2::bigint[])
         ON CONFLICT (hour) DO UPDATE SET n = message_hours.n + excluded.n`,
        [[...hours.keys()], [...hours.values()]],
      );
    await client.query("COMMIT");
    return { inserted: inserted.rowCount ?? 0, duplicates: messages.length - (inserted.rowCount ?? 0) };
  } catch (cause) {
    broken ??= (cause as { code?: string }).code === undefined ? (cause as Error) : undefined;
    if (broken === undefined) await client.query("ROLLBACK").catch(() => {});
    throw cause;
  } finally {
    client.off("error", onError);
    // A broken connection is destroyed, not handed to the next batch.
    client.release(broken);
  }
}
