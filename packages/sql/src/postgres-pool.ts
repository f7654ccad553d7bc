import pg from "pg";
import type { DatabaseSpec } from "./database-spec.js";

/**
 * A connection pool for a PostgreSQL setting: every connection works in the setting's schema from
 * its first query on, and an idle connection that dies (server restart, a proxy cut) is replaced
 * on next use instead of crashing the process with an unhandled `'error'`.
 */
export function createPostgresPool(spec: Extract<DatabaseSpec, { kind: "postgres" }>, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: spec.connectionString,
    max,
    connectionTimeoutMillis: 5000,
    ...(spec.schema === undefined ? {} : { options: `-c search_path=${spec.schema}` }),
  });
  pool.on("error", () => {});
  return pool;
}

/** Creates the setting's schema if it names one; run once before the tables are made. */
export async function ensurePostgresSchema(
  client: Pick<pg.PoolClient, "query">,
  spec: Extract<DatabaseSpec, { kind: "postgres" }>,
): Promise<void> {
  if (spec.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${spec.schema}`);
}
