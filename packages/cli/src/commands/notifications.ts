import { createNotifier, openPreferencesStore, openSenders, preferencesPage } from "@herald/notifications";
import { admissionSource, createCommandMetrics, opsRoutes, serveOps } from "@herald/ops";
import type { HttpRoute } from "@herald/sdk";
import { createRejectionReport } from "@herald/sdk";
import { receivingBus } from "../bus-transport.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { presentMessage } from "../presented-message.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";

/** Flags of `herald notifications`. */
export interface NotificationsOptions {
  db?: string;
  smtp?: string;
  http?: number;
  connect?: string[];
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/** How often waiting notifications are looked at (digests fall due, the hourly cap frees up). */
const flushEveryMs = 1000;

/**
 * `herald notifications`: matches every message against every user's rules, delivers e-mail
 * (digests, hourly cap) and IRC private messages, and serves the preferences page, `/healthz`
 * and `/metrics` on one HTTP port. Matches are in the database before a message is acknowledged.
 */
export async function runNotifications(options: NotificationsOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { trust, policy } = receivingTrust(options, config, io, "notify people of unverified messages");
  const logger = stderrLogger("notifications", io);
  const store = await openPreferencesStore(options.db ?? config.notifications.db);
  const smtpUrl = options.smtp ?? config.notifications.smtpUrl;
  const delivery = await openSenders(config, store, smtpUrl, logger);
  const notifier = createNotifier({
    store,
    senders: delivery.senders,
    emailsPerHour: config.notifications.emailsPerHour,
    logger,
  });
  const rejections = createRejectionReport(logger);
  const queue = config.transport === "amqp" ? "herald.notifications" : undefined;
  const { bus, transport, from } = await receivingBus(
    config,
    { connect: options.connect, queue, trust, policy },
    logger,
  );
  const consumption = await bus.consume(
    ["#"],
    (message) =>
      notifier.handle({
        id: message.envelope.id,
        topic: message.topic,
        time: message.envelope.time,
        ...presentMessage(message, config),
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

  const metrics = createCommandMetrics("notifications");
  metrics.add(admissionSource("subscription", () => consumption.stats, transport));
  metrics.add({
    part: "delivery",
    messagesIn: () => notifier.stats.matched,
    messagesOut: () => notifier.stats.items,
    queueDepth: () => notifier.stats.waiting,
    rejected: () => ({ "send-failed": notifier.stats.failures }),
  });
  const health = () => ({ ok: delivery.bot === undefined || delivery.bot.connected, database: store.location });
  const ops = opsRoutes(metrics, health);
  const page = preferencesPage(store, config.notifications.publicUrl);
  const routes: HttpRoute = (request, response) => ops(request, response) || page(request, response);
  const http = await serveOps(routes, options.http ?? config.notifications.httpPort, config.notifications.httpHost);
  logger.info(
    `ready: rules in ${store.location}, from ${from}, preferences at http://${config.notifications.httpHost}:${http.port}/prefs`,
  );
  const signal = await untilStopped();
  clearInterval(timer);
  await http.close();
  await consumption.close();
  rejections.stop();
  await bus.close();
  await notifier.flush().catch(() => {});
  await delivery.close();
  await store.close();
  logger.info(`${signal}: stopped`);
}
