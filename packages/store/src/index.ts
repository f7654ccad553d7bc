/** @herald/store: every message archived exactly as received, searchable and countable. */
export { type QueryApi, startQueryApi } from "./http-api.js";
export type { IngestResult, MessageStore, SearchPage } from "./message-store.js";
export { parseSearchQuery, type SearchFilters, type SearchQuery } from "./search-query.js";
export { sqlWhere } from "./sql-filters.js";
export { openSqliteStore } from "./sqlite/sqlite-store.js";
export { type StoredMessage, toStoredMessage } from "./stored-message.js";
