import { startNotificationService } from "@herald/notifications";
import { Option } from "commander";
import { requireBusAddresses } from "../bus-transport.js";
import { collect, port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";

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

/**
 * `herald notifications`: matches every message against every user's rules, delivers e-mail
 * (digests, hourly cap) and IRC private messages, and serves the preferences page, `/healthz`
 * and `/metrics` on one HTTP port. Matches are in the database before a message is acknowledged.
 */
export async function runNotifications(options: NotificationsOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  requireBusAddresses(config, options.connect);
  const { trust, policy } = receivingTrust(
    options,
    config,
    io,
    "notify people of unverified messages",
    "notifications",
  );
  const ops = { port: options.http ?? config.notifications.httpPort, host: config.notifications.httpHost };
  await runService(io, "notifications", ops, async ({ logger, metrics }) => {
    const service = await startNotificationService({
      config,
      trust,
      policy,
      logger,
      db: options.db,
      smtpUrl: options.smtp,
      connect: options.connect,
      catalogue: schemaCatalogueFor(config, io, [], "notifications"),
    });
    for (const source of service.sources) metrics.add(source);
    return {
      ready: (url) => `${service.description}, preferences at ${url}/prefs`,
      health: service.health,
      routes: (opsRoutes) => (request, response) => opsRoutes(request, response) || service.page(request, response),
      close: service.close,
    };
  });
}

/** `herald notifications`: its arguments and flags, beside the function that runs it. */
export const notificationsCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option(
          "--db <db>",
          "preferences database, sqlite:FILE or postgres://… (default: notifications.db, else store.db)",
        )
        .option("--smtp <url>", "SMTP server, smtp://host:port (default: notifications.smtp_url)")
        .addOption(
          new Option(
            "--http <port>",
            "preferences page, /healthz and /metrics (default: notifications.http_port)",
          ).argParser(port),
        )
        .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "notify about unverified messages too"),
    ),
  action: (io) => (options) => runNotifications(options, io),
});
