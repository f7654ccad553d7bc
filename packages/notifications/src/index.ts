/**
 * @herald/notifications: per-user notification preferences (what Fedora called FMN). Users keep
 * rules (topics, apps, packages, "things about me") and a delivery per rule (e-mail with digests
 * and an hourly cap, IRC private message, desktop); `createNotifier` matches messages against
 * every rule and delivers what is due; `preferencesPage` is the web page to edit one's rules.
 */
export { type Database, openDatabase, type SqlValue } from "./database.js";
export { type DesktopNotifier, systemNotifier } from "./desktop-notifier.js";
export { type DesktopNotificationsOptions, startDesktopNotifications } from "./desktop-service.js";
export { createEmailSender, type EmailSenderOptions } from "./email-sender.js";
export {
  type NotificationService,
  type NotificationServiceOptions,
  startNotificationService,
} from "./notification-service.js";
export {
  type NotificationsConfig,
  type NotificationsSettings,
  notificationsConfigSchema,
  notificationsConfigSection,
} from "./notifications-config.js";
export {
  createNotifier,
  type NotifiedMessage,
  type Notifier,
  type NotifierOptions,
  type NotifierStats,
  type Sender,
} from "./notifier.js";
export { preferencesToken, preferencesUrl, tokenMatches } from "./preferences-link.js";
export { preferencesPage } from "./preferences-page.js";
export {
  openPreferencesStore,
  type PendingItem,
  type PreferencesStore,
  type UserContact,
} from "./preferences-store.js";
export {
  checkRule,
  compileRule,
  type Delivery,
  deliveries,
  describeRule,
  formatDuration,
  type MatchInput,
  parseDuration,
  type Rule,
  type RuleInit,
} from "./rule.js";
export { openSenders, type Senders } from "./senders.js";
