import type { Cursor, SearchFilters, SearchQuery, StatsDimension } from "./search-query.js";
import type { StatsRow } from "./sql/queries.js";
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
  /** Where the next page starts, when there is one. */
  next?: Cursor;
}

/**
 * Where messages are archived. Two backends implement it: SQLite (the embedded default) and
 * PostgreSQL (for fleets). Envelopes are kept exactly as received.
 */
export interface MessageStore {
  /** Where it is, for messages: the file or the database URL without its password. */
  readonly location: string;
  /**
   * Stores a batch in one transaction; a duplicate id is stored once.
   * @throws HeraldError `E_STORE` naming the database; nothing of the batch is stored then.
   */
  ingest(messages: readonly StoredMessage[]): Promise<IngestResult>;
  search(query: SearchQuery): Promise<SearchPage>;
  /** One page after `cursor` in time order, without the total: what export and replay walk. */
  scan(filters: SearchFilters, limit: number, cursor?: Cursor): Promise<{ raw: string[]; next?: Cursor }>;
  count(filters: SearchFilters): Promise<number>;
  stats(filters: SearchFilters, by: readonly StatsDimension[]): Promise<StatsRow[]>;
  /** The envelope with this id, exactly as received. */
  get(id: string): Promise<string | undefined>;
  /** The time of the newest stored message (milliseconds), where a catch-up starts. */
  latestTime(): Promise<number | undefined>;
  close(): Promise<void>;
}
