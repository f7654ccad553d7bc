import { randomBytes } from "node:crypto";
import { HeraldError } from "@herald/sdk";
import { checkContact } from "./contact-fields.js";
import { type Database, openDatabase } from "./database.js";
import { checkRule, type Delivery, type Rule, type RuleInit } from "./rule.js";

/** How to reach a user. */
export interface UserContact {
  name: string;
  email: string | null;
  ircNick: string | null;
}

/** One matched message waiting to be delivered to one user one way. */
export interface PendingItem {
  user: string;
  delivery: Delivery;
  messageId: string;
  topic: string;
  summary: string;
  link: string | null;
  /** The message's time, ISO 8601. */
  time: string;
  /** When it may go, in milliseconds since the epoch (later for a digest, or past the cap). */
  dueAt: number;
}

/** Users, their rules, and the deliveries waiting: the tables `herald_prefs_*`. */
export interface PreferencesStore {
  readonly location: string;
  setContact(user: string, contact: { email?: string | null; ircNick?: string | null }): Promise<void>;
  contact(user: string): Promise<UserContact | undefined>;
  /** One user's rules, or every user's. */
  rules(user?: string): Promise<Rule[]>;
  /** @throws HeraldError `E_CONFIG` when the rule is not valid. */
  addRule(user: string, init: RuleInit): Promise<Rule>;
  removeRule(user: string, id: number): Promise<boolean>;
  /** Changes with every change of any rule: a cheap way to know when to reload. */
  rulesVersion(): Promise<number>;
  /** The secret that signs preference-page links, created on first use. */
  secret(): Promise<string>;
  /** Queues items; one already queued (same user, delivery, message) is kept, so a redelivery adds nothing. */
  enqueue(items: readonly PendingItem[]): Promise<void>;
  /** Items due by `now`, oldest first. */
  due(now: number): Promise<PendingItem[]>;
  /** Every item waiting for a user one way, due or not: what a digest gathers. */
  pending(user: string, delivery: Delivery): Promise<PendingItem[]>;
  /** How many items wait, due or not. */
  countPending(): Promise<number>;
  /** Forgets items that cannot be delivered (the user gave no address for that way). */
  discard(items: readonly PendingItem[]): Promise<void>;
  /** Records that these items went out at `at` (one delivery) and forgets them. */
  delivered(items: readonly PendingItem[], at: number): Promise<void>;
  /** Holds a user's waiting items of one delivery until `until` (past the hourly cap). */
  postpone(user: string, delivery: Delivery, until: number): Promise<void>;
  /** Deliveries (e-mails, not items) made to a user one way since `since`, and the oldest's time. */
  deliveriesSince(user: string, delivery: Delivery, since: number): Promise<{ count: number; oldest: number | null }>;
  close(): Promise<void>;
}

const tables = (database: Database) => {
  const id = database.kind === "sqlite" ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  return [
    "CREATE TABLE IF NOT EXISTS herald_prefs_users (name TEXT PRIMARY KEY, email TEXT, irc_nick TEXT)",
    `CREATE TABLE IF NOT EXISTS herald_prefs_rules (id ${id}, user_name TEXT NOT NULL, topics TEXT NOT NULL,
      apps TEXT NOT NULL, packages TEXT NOT NULL, about_me INTEGER NOT NULL, delivery TEXT NOT NULL,
      digest_seconds INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS herald_prefs_pending (user_name TEXT NOT NULL, delivery TEXT NOT NULL,
      message_id TEXT NOT NULL, topic TEXT NOT NULL, summary TEXT NOT NULL, link TEXT, time TEXT NOT NULL,
      due_at BIGINT NOT NULL, PRIMARY KEY (user_name, delivery, message_id))`,
    "CREATE TABLE IF NOT EXISTS herald_prefs_sent (user_name TEXT NOT NULL, delivery TEXT NOT NULL, sent_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS herald_prefs_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  ];
};

interface RuleRow {
  id: number | string;
  user_name: string;
  topics: string;
  apps: string;
  packages: string;
  about_me: number;
  delivery: Delivery;
  digest_seconds: number;
}

interface PendingRow {
  user_name: string;
  delivery: Delivery;
  message_id: string;
  topic: string;
  summary: string;
  link: string | null;
  time: string;
  due_at: number | string;
}

const toRule = (row: RuleRow): Rule => ({
  id: Number(row.id),
  user: row.user_name,
  topics: JSON.parse(row.topics),
  apps: JSON.parse(row.apps),
  packages: JSON.parse(row.packages),
  aboutMe: Number(row.about_me) === 1,
  delivery: row.delivery,
  digestSeconds: Number(row.digest_seconds),
});

const toItem = (row: PendingRow): PendingItem => ({
  user: row.user_name,
  delivery: row.delivery,
  messageId: row.message_id,
  topic: row.topic,
  summary: row.summary,
  link: row.link,
  time: row.time,
  dueAt: Number(row.due_at),
});

const userPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Opens the preferences store in the database `db` names (`sqlite:FILE` or `postgres://…`, the
 * message store's by default), creating its tables.
 * @throws HeraldError `E_STORE` when the database cannot be opened.
 */
export async function openPreferencesStore(db: string): Promise<PreferencesStore> {
  const database = await openDatabase(db);
  for (const statement of tables(database)) await database.run(statement);
  const checkUser = (user: string) => {
    if (!userPattern.test(user)) throw new HeraldError("E_CONFIG", `${JSON.stringify(user)} is not a user name`);
  };
  const bumpVersion = () =>
    database.run(
      "INSERT INTO herald_prefs_meta (key, value) VALUES ('rules_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(herald_prefs_meta.value AS INTEGER) + 1 AS TEXT)",
    );

  const forget = async (items: readonly PendingItem[]) => {
    for (const item of items)
      await database.run("DELETE FROM herald_prefs_pending WHERE user_name = ? AND delivery = ? AND message_id = ?", [
        item.user,
        item.delivery,
        item.messageId,
      ]);
  };

  return {
    location: database.location,
    async setContact(user, contact) {
      checkUser(user);
      checkContact(contact);
      await database.run("INSERT INTO herald_prefs_users (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [user]);
      if (contact.email !== undefined)
        await database.run("UPDATE herald_prefs_users SET email = ? WHERE name = ?", [contact.email, user]);
      if (contact.ircNick !== undefined)
        await database.run("UPDATE herald_prefs_users SET irc_nick = ? WHERE name = ?", [contact.ircNick, user]);
    },
    async contact(user) {
      const rows = await database.all<{ name: string; email: string | null; irc_nick: string | null }>(
        "SELECT name, email, irc_nick FROM herald_prefs_users WHERE name = ?",
        [user],
      );
      const row = rows[0];
      return row === undefined ? undefined : { name: row.name, email: row.email, ircNick: row.irc_nick };
    },
    async rules(user) {
      const rows =
        user === undefined
          ? await database.all<RuleRow>("SELECT * FROM herald_prefs_rules ORDER BY id")
          : await database.all<RuleRow>("SELECT * FROM herald_prefs_rules WHERE user_name = ? ORDER BY id", [user]);
      return rows.map(toRule);
    },
    async addRule(user, init) {
      checkUser(user);
      checkRule(init);
      await database.run("INSERT INTO herald_prefs_users (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [user]);
      const [row] = await database.all<RuleRow>(
        `INSERT INTO herald_prefs_rules (user_name, topics, apps, packages, about_me, delivery, digest_seconds)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [
          user,
          JSON.stringify(init.topics ?? []),
          JSON.stringify(init.apps ?? []),
          JSON.stringify(init.packages ?? []),
          init.aboutMe ? 1 : 0,
          init.delivery,
          init.digestSeconds ?? 0,
        ],
      );
      await bumpVersion();
      return toRule(row as RuleRow);
    },
    async removeRule(user, id) {
      const removed = await database.run("DELETE FROM herald_prefs_rules WHERE user_name = ? AND id = ?", [user, id]);
      if (removed > 0) await bumpVersion();
      return removed > 0;
    },
    async rulesVersion() {
      const [row] = await database.all<{ value: string }>(
        "SELECT value FROM herald_prefs_meta WHERE key = 'rules_version'",
      );
      return Number(row?.value ?? 0);
    },
    async secret() {
      const fresh = randomBytes(32).toString("base64url");
      await database.run(
        "INSERT INTO herald_prefs_meta (key, value) VALUES ('link_secret', ?) ON CONFLICT (key) DO NOTHING",
        [fresh],
      );
      const [row] = await database.all<{ value: string }>(
        "SELECT value FROM herald_prefs_meta WHERE key = 'link_secret'",
      );
      return (row as { value: string }).value;
    },
    async enqueue(items) {
      for (const item of items)
        await database.run(
          `INSERT INTO herald_prefs_pending (user_name, delivery, message_id, topic, summary, link, time, due_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_name, delivery, message_id) DO NOTHING`,
          [item.user, item.delivery, item.messageId, item.topic, item.summary, item.link, item.time, item.dueAt],
        );
    },
    async due(now) {
      const rows = await database.all<PendingRow>(
        "SELECT * FROM herald_prefs_pending WHERE due_at <= ? ORDER BY time, message_id",
        [now],
      );
      return rows.map(toItem);
    },
    async pending(user, delivery) {
      const rows = await database.all<PendingRow>(
        "SELECT * FROM herald_prefs_pending WHERE user_name = ? AND delivery = ? ORDER BY time, message_id",
        [user, delivery],
      );
      return rows.map(toItem);
    },
    async countPending() {
      const [row] = await database.all<{ count: number | string }>(
        "SELECT COUNT(*) AS count FROM herald_prefs_pending",
      );
      return Number(row?.count ?? 0);
    },
    discard: (items) => forget(items),
    async delivered(items, at) {
      const first = items[0];
      if (first === undefined) return;
      await database.run("INSERT INTO herald_prefs_sent (user_name, delivery, sent_at) VALUES (?, ?, ?)", [
        first.user,
        first.delivery,
        at,
      ]);
      await forget(items);
    },
    async postpone(user, delivery, until) {
      await database.run(
        "UPDATE herald_prefs_pending SET due_at = ? WHERE user_name = ? AND delivery = ? AND due_at < ?",
        [until, user, delivery, until],
      );
    },
    async deliveriesSince(user, delivery, since) {
      const [row] = await database.all<{ count: number | string; oldest: number | string | null }>(
        "SELECT COUNT(*) AS count, MIN(sent_at) AS oldest FROM herald_prefs_sent WHERE user_name = ? AND delivery = ? AND sent_at > ?",
        [user, delivery, since],
      );
      return { count: Number(row?.count ?? 0), oldest: row?.oldest == null ? null : Number(row.oldest) };
    },
    close: () => database.close(),
  };
}
