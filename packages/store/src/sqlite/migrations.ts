/**
 * The SQLite schema, as numbered migrations run in order at start (each once, recorded in
 * `schema_migrations`). A released migration is never edited: add the next one.
 */
export const sqliteMigrations: readonly string[] = [
  `CREATE TABLE messages (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     time INTEGER NOT NULL,
     topic TEXT NOT NULL,
     category TEXT NOT NULL,
     source TEXT NOT NULL,
     keyid TEXT,
     outcome TEXT NOT NULL,
     raw TEXT NOT NULL
   );
   CREATE INDEX messages_by_time ON messages (time, seq);
   CREATE INDEX messages_by_topic ON messages (topic, time, seq);
   CREATE INDEX messages_by_category ON messages (category, time, seq);
   CREATE INDEX messages_by_source ON messages (source, time, seq);
   CREATE TABLE message_users (seq INTEGER NOT NULL REFERENCES messages (seq), name TEXT NOT NULL, PRIMARY KEY (name, seq)) WITHOUT ROWID;
   CREATE TABLE message_packages (seq INTEGER NOT NULL REFERENCES messages (seq), name TEXT NOT NULL, PRIMARY KEY (name, seq)) WITHOUT ROWID;`,
  // 2: messages per hour, kept at ingest, so counts over time need not count rows.
  `CREATE TABLE message_hours (hour INTEGER PRIMARY KEY, n INTEGER NOT NULL);
   INSERT INTO message_hours (hour, n) SELECT (time / 3600000) * 3600000, count(*) FROM messages GROUP BY 1;`,
  // 3: who caused the event (datagrepper's agent_name), for the agent and not_agent filters.
  `ALTER TABLE messages ADD COLUMN agent TEXT;
   CREATE INDEX messages_by_agent ON messages (agent, time, seq);`,
];
