import { type IrcBot, ircBotFromConfig, printable } from "@herald/irc";
import type { IrcConfig } from "@herald/irc/config";
import type { HeraldConfig, Logger } from "@herald/sdk";
import { checkContact } from "./contact-fields.js";
import { createEmailSender } from "./email-sender.js";
import type { NotificationsConfig } from "./notifications-config.js";
import type { Sender } from "./notifier.js";
import { preferencesUrl } from "./preferences-link.js";
import type { PreferencesStore } from "./preferences-store.js";
import type { Delivery } from "./rule.js";

/** The senders `herald notifications` delivers with, and how to close them. */
export interface Senders {
  senders: Partial<Record<Delivery, Sender>>;
  bot?: IrcBot;
  close(): Promise<void>;
}

/**
 * E-mail through `smtp_url` (when set) and IRC private messages through a bot on the `[irc]`
 * server (when set). Desktop notifications are not sent from here: `herald notify` on the
 * user's own machine shows them.
 */
export async function openSenders(
  config: HeraldConfig & NotificationsConfig & IrcConfig,
  store: PreferencesStore,
  smtpUrl: string | undefined,
  logger: Logger,
): Promise<Senders> {
  const senders: Partial<Record<Delivery, Sender>> = {};
  const secret = await store.secret();
  const email =
    smtpUrl === undefined
      ? undefined
      : createEmailSender({
          smtpUrl,
          from: config.notifications.from,
          preferencesUrl: async (user) => preferencesUrl(config.notifications.publicUrl, secret, user),
        });
  if (email === undefined) logger.warn("no smtp_url in [notifications]: e-mail rules are ignored until one is set");
  else senders.email = email.send;

  let bot: IrcBot | undefined;
  if (config.irc.server === undefined) logger.warn("no server in [irc]: IRC rules are ignored until one is set");
  else {
    const connected = await ircBotFromConfig(config, [], logger);
    bot = connected;
    senders.irc = async (contact, items) => {
      // Stored before addresses were checked, or edited in the database: never sent as it is.
      checkContact({ ircNick: contact.ircNick });
      for (const item of items)
        connected.say(
          contact.ircNick as string,
          printable(`${item.summary}${item.link === null ? "" : ` ${item.link}`}`),
        );
    };
  }
  return {
    senders,
    ...(bot === undefined ? {} : { bot }),
    async close() {
      email?.close();
      await bot?.close();
    },
  };
}
