import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Presentation } from "@herald/schemas";
import { silentLogger } from "@herald/sdk";
import { postgresAvailable, testPostgresSchema } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { createNotifier, type NotifiedMessage } from "./notifier.js";
import { openPreferencesStore, type PendingItem, type UserContact } from "./preferences-store.js";

const schemas: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const schema of schemas) await schema.drop();
});

const backends: [name: string, db: () => string][] = [
  ["SQLite", () => `sqlite:${join(mkdtempSync(join(tmpdir(), "herald-prefs-")), "prefs.sqlite")}`],
  [
    "PostgreSQL",
    () => {
      const schema = testPostgresSchema();
      schemas.push(schema);
      return schema.url;
    },
  ],
];
const withPostgres = await postgresAvailable();

let sequence = 0;
function message(usernames: string[], packages: string[] = [], event = "git.receive"): NotifiedMessage {
  sequence++;
  const presentation: Presentation = {
    summary: `${usernames.join(", ")} did thing ${sequence}`,
    usernames,
    packages,
    link: `https://example.org/${sequence}`,
    icon: "git-commit",
    severity: "info",
  };
  return {
    id: `0190f0b2-7c1e-7a3b-9d4e-${String(sequence).padStart(12, "0")}`,
    topic: `org.example.dev.${event}`,
    event,
    app: event.split(".")[0] as string,
    time: new Date(1_700_000_000_000 + sequence * 1000).toISOString(),
    presentation,
  };
}

async function setUp(db: string, emailsPerHour = 10) {
  const store = await openPreferencesStore(db);
  let clock = 1_800_000_000_000;
  const sent: { to: string; items: PendingItem[] }[] = [];
  let failing = false;
  const notifier = createNotifier({
    store,
    emailsPerHour,
    logger: silentLogger,
    now: () => clock,
    senders: {
      email: async (contact: UserContact, items) => {
        if (failing) throw new Error("connection refused");
        sent.push({ to: contact.email as string, items: [...items] });
      },
    },
  });
  await store.setContact("alice", { email: "alice@example.org" });
  return {
    store,
    notifier,
    sent,
    advance: (ms: number) => {
      clock += ms;
    },
    fail: (value: boolean) => {
      failing = value;
    },
  };
}

describe.each(backends)("notifications over %s", (name, db) => {
  it.skipIf(name === "PostgreSQL" && !withPostgres)(
    "things about me by e-mail: exactly one mail for a message naming the user, none for others, none again on redelivery",
    async () => {
      const { store, notifier, sent } = await setUp(db());
      await store.addRule("alice", { aboutMe: true, delivery: "email" });
      const aboutAlice = message(["alice", "bob"]);
      await notifier.handle(aboutAlice);
      await notifier.handle(message(["bob"]));
      await notifier.handle(aboutAlice);
      await notifier.flush();
      await notifier.flush();
      expect(sent).toHaveLength(1);
      expect(sent[0]?.to).toBe("alice@example.org");
      expect(sent[0]?.items.map((item) => item.messageId)).toEqual([aboutAlice.id]);
      await store.close();
    },
  );

  it.skipIf(name === "PostgreSQL" && !withPostgres)("a digest gathers a burst into one delivery", async () => {
    const { store, notifier, sent, advance } = await setUp(db());
    await store.addRule("alice", { packages: ["herald"], delivery: "email", digestSeconds: 300 });
    const burst = [1, 2, 3, 4, 5].map(() => message(["carol"], ["herald"]));
    for (const item of burst) await notifier.handle(item);
    await notifier.flush();
    expect(sent).toHaveLength(0);
    advance(301_000);
    await notifier.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.items.map((item) => item.messageId)).toEqual(burst.map((item) => item.id));
    expect(notifier.stats).toMatchObject({ deliveries: 1, items: 5, waiting: 0 });
    await store.close();
  });

  it.skipIf(name === "PostgreSQL" && !withPostgres)(
    "caps e-mails per hour, then sends what waited as one digest; a failed send is kept for later",
    async () => {
      const { store, notifier, sent, advance, fail } = await setUp(db(), 2);
      await store.addRule("alice", { topics: ["git.#"], delivery: "email" });
      for (let index = 0; index < 5; index++) {
        await notifier.handle(message(["dave"]));
        await notifier.flush();
        advance(1000);
      }
      expect(sent.map((mail) => mail.items.length)).toEqual([1, 1]);
      fail(true);
      advance(3_600_000);
      await notifier.flush();
      expect(notifier.stats.failures).toBe(1);
      fail(false);
      advance(61_000);
      await notifier.flush();
      expect(sent.map((mail) => mail.items.length)).toEqual([1, 1, 3]);
      await store.close();
    },
  );
});
