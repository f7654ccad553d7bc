import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { HeraldError } from "@herald/sdk";
import Sqlite from "better-sqlite3";
import pg from "pg";

/** A value a query takes or returns. */
export type SqlValue = string | number | null;

/**
 * The few operations the preferences store needs, the same over SQLite and PostgreSQL. SQL is
 * written once with `?` placeholders; PostgreSQL gets them numbered.
 */
export interface Database {
  readonly kind: "sqlite" | "postgres";
  /** Where it is, without a password, for messages. */
  readonly location: string;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens the database a `db` setting names: `sqlite:FILE` (or a bare path) or `postgres://…`
 * (a `?schema=` parameter keeps the tables in that schema, created if needed) — the same values
 * as the message store's, so preferences can live beside the archive.
 * @throws HeraldError `E_STORE` when it cannot be opened, `E_CONFIG` for a bad value.
 */
export async function openDatabase(spec: string): Promise<Database> {
  if (/^postgres(ql)?:\/\//.test(spec)) return openPostgres(spec);
  const file = spec.startsWith("sqlite:") ? spec.slice("sqlite:".length) : spec;
  if (file === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(file))
    throw new HeraldError("E_CONFIG", `db ${spec}: expected sqlite:FILE or postgres://…`);
  let sqlite: Sqlite.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    sqlite = new Sqlite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
  } catch (cause) {
    throw new HeraldError("E_STORE", `${file}: cannot open: ${(cause as Error).message}`, { cause });
  }
  const statements = new Map<string, Sqlite.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = sqlite.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const attempt = <T>(sql: string, work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (cause) {
      return Promise.reject(databaseError(file, sql, cause));
    }
  };
  return {
    kind: "sqlite",
    location: file,
    all: <T>(sql: string, params: readonly SqlValue[] = []) => attempt(sql, () => prepared(sql).all(...params) as T[]),
    run: (sql, params = []) => attempt(sql, () => prepared(sql).run(...params).changes),
    async close() {
      sqlite.close();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HeraldError("E_CONFIG", "db: not a postgres:// URL");
  }
  const schema = parsed.searchParams.get("schema");
  parsed.searchParams.delete("schema");
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new HeraldError("E_CONFIG", "db: schema must be a lower-case SQL name");
  const connectionString = parsed.toString();
  if (parsed.password !== "") parsed.password = "***";
  const location = parsed.toString();
  const pool = new pg.Pool({
    connectionString,
    max: 3,
    connectionTimeoutMillis: 5000,
    // Every connection works in the schema from its first query on.
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on("error", () => {});
  const numbered = new Map<string, string>();
  const toPostgres = (sql: string) => {
    let text = numbered.get(sql);
    if (text === undefined) {
      let index = 0;
      text = sql.replace(/\?/g, () => `$${++index}`);
      numbered.set(sql, text);
    }
    return text;
  };
  const query = async (sql: string, params: readonly SqlValue[]) => {
    try {
      return await pool.query(toPostgres(sql), params as SqlValue[]);
    } catch (cause) {
      throw databaseError(location, sql, cause);
    }
  };
  if (schema !== null) await query(`CREATE SCHEMA IF NOT EXISTS ${schema}`, []);
  return {
    kind: "postgres",
    location,
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as T[],
    run: async (sql, params = []) => (await query(sql, params)).rowCount ?? 0,
    close: () => pool.end(),
  };
}

/** Database errors become one E_STORE error naming the database and what was being done; here only. */
function databaseError(location: string, sql: string, cause: unknown): HeraldError {
  const verb = sql.trim().split(/\s+/).slice(0, 3).join(" ").toLowerCase();
  return new HeraldError("E_STORE", `${location}: ${verb}: ${(cause as Error).message ?? cause}`, { cause });
}
