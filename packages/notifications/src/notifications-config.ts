import { join } from "node:path";
import { defineConfigSection } from "@herald/sdk";
import { type Static, Type } from "@sinclair/typebox";

/** The `[notifications]` table: where preferences live and how each kind of delivery is made. */
export const notificationsConfigSchema = Type.Object(
  {
    db: Type.Optional(
      Type.String({
        description:
          "sqlite:FILE or postgres://…; default: [store] db when it is PostgreSQL, else $XDG_STATE_HOME/herald/notifications.sqlite",
      }),
    ),
    http_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    http_host: Type.Optional(Type.String()),
    public_url: Type.Optional(Type.String({ description: "the preferences page as users reach it" })),
    smtp_url: Type.Optional(Type.String({ description: "smtp://host:port or smtps://user:pass@host" })),
    from: Type.Optional(Type.String({ description: "the From: address of e-mails" })),
    emails_per_hour: Type.Optional(Type.Integer({ minimum: 1, description: "cap per user (default 12)" })),
  },
  { additionalProperties: false },
);

/** `herald notifications`: preferences database (default: the store's), web page, e-mail. */
export interface NotificationsSettings {
  db: string;
  httpPort: number;
  httpHost: string;
  publicUrl: string;
  smtpUrl?: string;
  from: string;
  emailsPerHour: number;
}

/** The configuration of the notifications: `config.notifications`. */
export interface NotificationsConfig {
  notifications: NotificationsSettings;
}

const defaults = { http_port: 9990, http_host: "127.0.0.1", from: "herald@localhost", emails_per_hour: 12 };

/**
 * `[notifications]`, the notifications' section of `herald.toml`. Its `db` defaults to `[store]`'s,
 * so preferences live beside the archive unless told otherwise.
 */
export const notificationsConfigSection = defineConfigSection({
  key: "notifications",
  schema: notificationsConfigSchema,
  defaults,
  environment: {
    HERALD_NOTIFICATIONS_DB: { path: ["db"] },
    HERALD_NOTIFICATIONS_HTTP_PORT: { path: ["http_port"], integer: true },
    HERALD_NOTIFICATIONS_PUBLIC_URL: { path: ["public_url"] },
    HERALD_NOTIFICATIONS_SMTP_URL: { path: ["smtp_url"] },
  },
  resolve(value, context): NotificationsSettings {
    const notifications = value as Static<typeof notificationsConfigSchema>;
    const store = context.merged.store as { db?: string } | undefined;
    const httpPort = notifications.http_port ?? defaults.http_port;
    const httpHost = notifications.http_host ?? defaults.http_host;
    return {
      // A PostgreSQL store's database is shared (tables of their own); a SQLite file is not: two
      // services writing one file would wait on each other's locks.
      db:
        context.database("notifications.db", notifications.db) ??
        sharedDatabase(context.database("store.db", store?.db)) ??
        `sqlite:${join(context.stateDir, "notifications.sqlite")}`,
      httpPort,
      httpHost,
      publicUrl: notifications.public_url ?? `http://${httpHost}:${httpPort}`,
      from: notifications.from ?? defaults.from,
      emailsPerHour: notifications.emails_per_hour ?? defaults.emails_per_hour,
      ...(notifications.smtp_url === undefined ? {} : { smtpUrl: notifications.smtp_url }),
    };
  },
});

/** The store's database when it can be shared: a PostgreSQL URL, never a SQLite file. */
function sharedDatabase(url: string | undefined): string | undefined {
  return url !== undefined && /^postgres(ql)?:/.test(url) ? url : undefined;
}
