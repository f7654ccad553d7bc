import type { SearchFilters, SearchQuery } from "./search-query.js";
import type { StoredMessage } from "./stored-message.js";

/** What one ingest did. */
export interface IngestResult {
  inserted: number;
  /** Messages whose id was stored already: kept once. */
  duplicates: number;
}

/** A page of a search: the raw envelopes as stored, and how many match in all. */
export interface SearchPage {
  /** Each envelope's text exactly as received. */
  raw: string[];
  total: number;
}

/**
 * Where messages are archived. Two backends implement it: SQLite (the embedded default) and, for
 * fleets, PostgreSQL (a later step). Envelopes are kept exactly as received.
 */
export interface MessageStore {
  /** Stores a batch in one transaction; a duplicate id is stored once. */
  ingest(messages: readonly StoredMessage[]): Promise<IngestResult>;
  search(query: SearchQuery): Promise<SearchPage>;
  count(filters: SearchFilters): Promise<number>;
  /** The envelope with this id, exactly as received. */
  get(id: string): Promise<string | undefined>;
  close(): Promise<void>;
}
