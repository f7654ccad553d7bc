/**
 * @herald/sql: the one SQL layer of Herald's stores (the message store, notification preferences).
 * `parseDatabaseSpec` reads a `db` setting, `openSqliteFile` and `createPostgresPool` open it the
 * same way everywhere, the dialects hold what differs in shared queries, and `databaseError` is
 * where driver errors become `HeraldError`s.
 */
export { databaseError, type StoreErrorCode } from "./database-error.js";
export { type DatabaseSpec, parseDatabaseSpec } from "./database-spec.js";
export { createPostgresPool, ensurePostgresSchema } from "./postgres-pool.js";
export {
  numberPlaceholders,
  postgresDialect,
  type SqlDialect,
  sqliteDialect,
  topicMatchesFunction,
} from "./sql-dialect.js";
export { openSqliteFile, type SqliteFileOptions } from "./sqlite-file.js";
