import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL the tests use: this machine's (trust auth, database `test`), or `HERALD_TEST_POSTGRES`. */
export const testPostgresUrl = process.env.HERALD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Whether the PostgreSQL cases run. In CI always: a missing server then fails them rather than
 * skipping them. On a laptop without PostgreSQL they are skipped.
 */
export async function postgresAvailable(): Promise<boolean> {
  if (process.env.CI === "true") return true;
  const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A fresh schema name for one test's tables (`?schema=` of a store URL), and its removal. */
export function testPostgresSchema(): { name: string; url: string; drop(): Promise<void> } {
  const name = `herald_test_${randomBytes(6).toString("hex")}`;
  return {
    name,
    url: `${testPostgresUrl}?schema=${name}`,
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await client.end();
    },
  };
}
