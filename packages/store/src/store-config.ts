import { join } from "node:path";
import { defineConfigSection } from "@herald/sdk";
import { type Static, Type } from "@sinclair/typebox";

/** The `[store]` table of `herald.toml`. */
export const storeConfigSchema = Type.Object(
  {
    db: Type.Optional(Type.String({ description: "sqlite:FILE or postgres://… where herald store archives" })),
    http_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    http_host: Type.Optional(Type.String()),
    peers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: "other stores' query API URLs, to recover from" }),
    ),
    url: Type.Optional(Type.String({ description: "the query API that herald query, stats and replay read" })),
  },
  { additionalProperties: false },
);

/**
 * The message store: `db` (`sqlite:FILE`, default `$XDG_STATE_HOME/herald/store.sqlite`, or
 * `postgres://…`), its query API's port and host, the peers it recovers from, and `url`, the
 * query API the reading commands use.
 */
export interface StoreSettings {
  db: string;
  httpPort: number;
  httpHost: string;
  peers: string[];
  url: string;
  /**
   * Where a message the database refuses on its own (while it takes others) is set aside, as
   * NDJSON for `herald store import` once fixed: `$XDG_STATE_HOME/herald/store-dead-letters.ndjson`.
   */
  deadLetterFile: string;
}

/** The configuration of a store and of what reads it: `config.store`. */
export interface StoreConfig {
  store: StoreSettings;
}

const defaults = { http_port: 9950, http_host: "127.0.0.1", peers: [] as string[], url: "http://127.0.0.1:9950" };

/** `[store]`, the message store's section of `herald.toml` (compose it with `loadConfig({ sections })`). */
export const storeConfigSection = defineConfigSection({
  key: "store",
  schema: storeConfigSchema,
  defaults,
  environment: {
    HERALD_STORE_DB: { path: ["db"] },
    HERALD_STORE_HTTP_PORT: { path: ["http_port"], integer: true },
    HERALD_STORE_HTTP_HOST: { path: ["http_host"] },
    HERALD_STORE_PEERS: { path: ["peers"], list: true },
    HERALD_STORE_URL: { path: ["url"] },
  },
  resolve(value, context): StoreSettings {
    const store = value as Static<typeof storeConfigSchema>;
    return {
      db: context.database("store.db", store.db) ?? `sqlite:${join(context.stateDir, "store.sqlite")}`,
      httpPort: store.http_port ?? defaults.http_port,
      httpHost: store.http_host ?? defaults.http_host,
      peers: store.peers ?? [],
      url: store.url ?? defaults.url,
      deadLetterFile: join(context.stateDir, "store-dead-letters.ndjson"),
    };
  },
});
