import {
  createPostgresPool,
  databaseError,
  ensurePostgresSchema,
  numberPlaceholders,
  openSqliteFile,
  parseDatabaseSpec,
} from "@herald/sql";
import type Sqlite from "better-sqlite3";

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

// What a statement does, for its error: "insert into herald_prefs_rules".
const verbOf = (sql: string) => sql.trim().split(/\s+/).slice(0, 3).join(" ").toLowerCase();

/**
 * Opens the database a `db` setting names: `sqlite:FILE` (or a bare path) or `postgres://…`
 * (a `?schema=` parameter keeps the tables in that schema, created if needed) — the same values
 * as the message store's (`@herald/sql`), so preferences can live beside the archive.
 * @throws HeraldError `E_STORE` when it cannot be opened, `E_CONFIG` for a bad value.
 */
export async function openDatabase(value: string): Promise<Database> {
  const spec = parseDatabaseSpec(value);
  if (spec.kind === "postgres") {
    const pool = createPostgresPool(spec, 3);
    const query = async (sql: string, params: readonly SqlValue[]) => {
      try {
        return await pool.query(numberPlaceholders(sql), params as SqlValue[]);
      } catch (cause) {
        throw databaseError(spec.location, verbOf(sql), cause);
      }
    };
    try {
      await ensurePostgresSchema(pool, spec);
    } catch (cause) {
      await pool.end().catch(() => {});
      throw databaseError(spec.location, "open the preferences", cause);
    }
    return {
      kind: "postgres",
      location: spec.location,
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as T[],
      run: async (sql, params = []) => (await query(sql, params)).rowCount ?? 0,
      close: () => pool.end(),
    };
  }
  // The preferences hold the secret that signs every user's page link: for the service's user only.
  const sqlite = openSqliteFile(spec.file, { purpose: "the preferences", ownerOnly: true });
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
      return Promise.reject(databaseError(spec.file, verbOf(sql), cause));
    }
  };
  return {
    kind: "sqlite",
    location: spec.file,
    all: <T>(sql: string, params: readonly SqlValue[] = []) => attempt(sql, () => prepared(sql).all(...params) as T[]),
    run: (sql, params = []) => attempt(sql, () => prepared(sql).run(...params).changes),
    async close() {
      sqlite.close();
    },
  };
}
