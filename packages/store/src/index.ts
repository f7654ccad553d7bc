/** @herald/store: every message archived exactly as received, searchable, countable and replayable. */
export { type QueryApi, startQueryApi } from "./http-api.js";
export {
  createIngestBuffer,
  type IngestBuffer,
  type IngestBufferOptions,
  type IngestStats,
} from "./ingest-buffer.js";
export type { IngestResult, MessageStore, SearchPage } from "./message-store.js";
export { toNdjsonLine } from "./ndjson.js";
export { type OpenStoreOptions, openStore } from "./open-store.js";
export { openPostgresStore, type PostgresStoreOptions } from "./postgres/postgres-store.js";
export {
  type Cursor,
  formatCursor,
  parseSearchQuery,
  parseStatsQuery,
  type SearchFilters,
  type SearchQuery,
  type StatsDimension,
  statsDimensions,
} from "./search-query.js";
export type { StatsRow } from "./sql/queries.js";
export { openSqliteStore, type SqliteStoreOptions } from "./sqlite/sqlite-store.js";
export { type StoreConfig, type StoreSettings, storeConfigSchema, storeConfigSection } from "./store-config.js";
export type { StoreErrorCode } from "./store-errors.js";
export { type StoreService, type StoreServiceOptions, startStoreService } from "./store-service.js";
export { type StoredMessage, toStoredMessage } from "./stored-message.js";
