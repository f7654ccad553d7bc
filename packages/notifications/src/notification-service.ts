import type { IrcConfig } from "@herald/irc/config";
import { admissionSource, type MetricsSource } from "@herald/ops";
import { presentMessage, type SchemaCatalogue } from "@herald/schemas";
import { busFromConfig, type HeraldConfig, type Logger, type Policy, type TrustStore } from "@herald/sdk";
import { createRejectionReport, type HttpRoute } from "@herald/sdk/internal";
import type { NotificationsConfig } from "./notifications-config.js";
import { createNotifier } from "./notifier.js";
import { preferencesPage } from "./preferences-page.js";
import { openPreferencesStore } from "./preferences-store.js";
import { openSenders } from "./senders.js";

/** How often waiting notifications are looked at (digests fall due, the hourly cap frees up). */
const flushEveryMs = 1000;

/** What {@link startNotificationService} needs. */
export interface NotificationServiceOptions {
  config: HeraldConfig & NotificationsConfig & IrcConfig;
  trust: TrustStore | undefined;
  policy: Policy;
  logger: Logger;
  /** The preferences database (default: `[notifications] db`). */
  db?: string | undefined;
  /** The SMTP server for e-mail (default: `[notifications] smtp_url`; none: e-mail rules wait). */
  smtpUrl?: string | undefined;
  /** Bus addresses (default: every configured endpoint). */
  connect?: string[] | undefined;
  /**
   * The schemas messages are checked and presented with; a `dataschema` only its registry service
   * knows is fetched before the message is shown (default: data unchecked, the built-in catalogue presents).
   */
  catalogue?: SchemaCatalogue | undefined;
}

/** The running notification service. */
export interface NotificationService {
  /** `rules in …, from …`, for a ready line. */
  readonly description: string;
  readonly sources: readonly MetricsSource[];
  health(): { ok: boolean; [detail: string]: unknown };
  /** The preferences page (`/prefs`), to serve beside `/healthz` and `/metrics`. */
  readonly page: HttpRoute;
  close(): Promise<void>;
}

/**
 * Notifies people by their rules: every message of the bus is matched against every rule, matches
 * are written to the preferences database before the message is acknowledged (so a redelivery
 * adds nothing), and due notifications go out by e-mail and IRC once a second.
 * @throws HeraldError `E_STORE` when the database cannot be opened; `E_CONFIG`, `E_TRANSPORT`.
 */
export async function startNotificationService(options: NotificationServiceOptions): Promise<NotificationService> {
  const { config, trust, policy, logger } = options;
  const store = await openPreferencesStore(options.db ?? config.notifications.db);
  const delivery = await openSenders(config, store, options.smtpUrl ?? config.notifications.smtpUrl, logger);
  const notifier = createNotifier({
    store,
    senders: delivery.senders,
    emailsPerHour: config.notifications.emailsPerHour,
    logger,
  });
  const rejections = createRejectionReport(logger);
  const queue = config.transport === "amqp" ? "herald.notifications" : undefined;
  const {
    bus,
    transport,
    description: from,
  } = await busFromConfig(config, {
    connect: options.connect,
    queue,
    logger,
    trust,
    policy,
    schemas: options.catalogue?.registry ?? "none",
  });
  const consumption = await bus.consume(
    ["#"],
    (message) =>
      notifier.handle({
        id: message.envelope.id,
        topic: message.topic,
        time: message.envelope.time,
        ...presentMessage(message, config, options.catalogue?.presenter),
      }),
    { onReject: rejections.count },
  );
  let flushing = false;
  const timer = setInterval(() => {
    if (flushing) return;
    flushing = true;
    notifier
      .flush()
      .catch((error: Error) => logger.error(`delivering: ${error.message}`))
      .finally(() => {
        flushing = false;
      });
  }, flushEveryMs);
  return {
    description: `rules in ${store.location}, from ${from}`,
    sources: [
      admissionSource("subscription", () => consumption.stats, transport),
      {
        part: "delivery",
        messagesIn: () => notifier.stats.matched,
        messagesOut: () => notifier.stats.items,
        queueDepth: () => notifier.stats.waiting,
        rejected: () => ({ "send-failed": notifier.stats.failures }),
      },
    ],
    health: () => ({ ok: delivery.bot === undefined || delivery.bot.connected, database: store.location }),
    page: preferencesPage(store, config.notifications.publicUrl),
    async close() {
      clearInterval(timer);
      await consumption.close();
      rejections.stop();
      await bus.close();
      await notifier.flush().catch(() => {});
      await delivery.close();
      await store.close();
    },
  };
}
