import type { Presentation } from "@herald/schemas";
import type { Logger } from "@herald/sdk";
import type { PendingItem, PreferencesStore, UserContact } from "./preferences-store.js";
import { compileRule, type Delivery, type MatchInput, type Rule } from "./rule.js";

/** Sends one delivery (an e-mail, a few IRC lines) of items to a user. */
export type Sender = (contact: UserContact, items: readonly PendingItem[]) => Promise<void>;

/** Options of {@link createNotifier}. */
export interface NotifierOptions {
  store: PreferencesStore;
  /** How each delivery is made; a rule whose delivery has no sender here is left to others (desktop). */
  senders: Partial<Record<Delivery, Sender>>;
  /** E-mails to one user per hour at most; past it, matches wait and go as one digest. */
  emailsPerHour: number;
  logger: Logger;
  /** The clock (tests move it). */
  now?: () => number;
}

/** One message as the notifier matches it. */
export interface NotifiedMessage extends MatchInput {
  id: string;
  topic: string;
  time: string;
  presentation: Presentation;
}

/** Counters for `/metrics`. */
export interface NotifierStats {
  /** (user, delivery) matches queued. */
  matched: number;
  /** Deliveries made (e-mails sent, IRC batches) and the items they carried. */
  deliveries: number;
  items: number;
  /** Deliveries that failed and will be tried again. */
  failures: number;
  /** Items waiting. */
  waiting: number;
}

/** Matches messages against every user's rules and delivers what is due. */
export interface Notifier {
  readonly stats: NotifierStats;
  /** Queues a message for every user whose rules match it; resolves once it is in the database. */
  handle(message: NotifiedMessage): Promise<void>;
  /** Delivers what is due: each user's waiting items of one delivery go together. */
  flush(): Promise<void>;
}

const hour = 3_600_000;
// A failed delivery is tried again after this long, not on every flush.
const retryAfterMs = 60_000;

/**
 * Creates the notification engine. Matches are written to the database before `handle`
 * resolves (so a consumer acknowledges only what is safe), and a redelivered message adds nothing.
 * Rules are compiled once and reloaded when any user changes theirs.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const stats: NotifierStats = { matched: 0, deliveries: 0, items: 0, failures: 0, waiting: 0 };
  let compiled: { rule: Rule; matches: (input: MatchInput) => boolean }[] = [];
  let version = -1;
  let checkedAt = 0;

  const freshRules = async () => {
    if (now() - checkedAt < 1000 && version >= 0) return;
    checkedAt = now();
    const current = await store.rulesVersion();
    if (current === version) return;
    version = current;
    compiled = (await store.rules())
      .filter((rule) => options.senders[rule.delivery] !== undefined)
      .map((rule) => ({ rule, matches: compileRule(rule) }));
  };

  const deliver = async (user: string, delivery: Delivery) => {
    const send = options.senders[delivery] as Sender;
    const items = await store.pending(user, delivery);
    if (items.length === 0) return;
    const contact = await store.contact(user);
    const address = delivery === "email" ? contact?.email : contact?.ircNick;
    if (contact === undefined || address == null) {
      logger.warn(
        `${user} has no ${delivery === "email" ? "e-mail address" : "IRC nick"}: ${items.length} notification(s) dropped`,
      );
      await store.discard(items);
      return;
    }
    if (delivery === "email") {
      const recent = await store.deliveriesSince(user, "email", now() - hour);
      if (recent.count >= options.emailsPerHour && recent.oldest !== null) {
        await store.postpone(user, "email", recent.oldest + hour);
        return;
      }
    }
    try {
      await send(contact, items);
    } catch (error) {
      stats.failures++;
      logger.warn(`${delivery} to ${user} failed (${(error as Error).message}); trying again in a minute`);
      await store.postpone(user, delivery, now() + retryAfterMs);
      return;
    }
    await store.delivered(items, now());
    stats.deliveries++;
    stats.items += items.length;
  };

  return {
    stats,
    async handle(message) {
      await freshRules();
      const at = now();
      const due = new Map<string, PendingItem>();
      for (const { rule, matches } of compiled) {
        if (!matches(message)) continue;
        const key = `${rule.user}\n${rule.delivery}`;
        const dueAt = at + rule.digestSeconds * 1000;
        const known = due.get(key);
        if (known !== undefined && known.dueAt <= dueAt) continue;
        due.set(key, {
          user: rule.user,
          delivery: rule.delivery,
          messageId: message.id,
          topic: message.topic,
          summary: message.presentation.summary,
          link: message.presentation.link ?? null,
          time: message.time,
          dueAt,
        });
      }
      if (due.size === 0) return;
      await store.enqueue([...due.values()]);
      stats.matched += due.size;
    },
    async flush() {
      const due = await store.due(now());
      const targets = new Map(due.map((item) => [`${item.user}\n${item.delivery}`, item] as const));
      for (const item of targets.values()) await deliver(item.user, item.delivery);
      stats.waiting = await store.countPending();
    },
  };
}
