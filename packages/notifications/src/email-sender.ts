import { HeraldError } from "@herald/sdk";
import nodemailer from "nodemailer";
import { checkContact } from "./contact-fields.js";
import type { Sender } from "./notifier.js";
import type { PendingItem } from "./preferences-store.js";

/** Options of {@link createEmailSender}. */
export interface EmailSenderOptions {
  /** `smtp://host:port`, `smtps://user:password@host` (nodemailer's connection URL). */
  smtpUrl: string;
  from: string;
  /** The user's preferences page, for the footer. */
  preferencesUrl(user: string): Promise<string>;
}

/**
 * Sends notification e-mails through one SMTP connection pool (nodemailer), opened once. One item
 * makes a mail whose subject is its summary line; several make a digest.
 * @throws HeraldError `E_TRANSPORT` (from the sender) when the server refuses or cannot be reached.
 */
export function createEmailSender(options: EmailSenderOptions): { send: Sender; close(): void } {
  const transport = nodemailer.createTransport(
    options.smtpUrl.includes("?") ? options.smtpUrl : `${options.smtpUrl}?pool=true`,
  );
  const send: Sender = async (contact, items) => {
    checkContact({ email: contact.email });
    const first = items[0] as PendingItem;
    const subject =
      items.length === 1
        ? `[Herald] ${oneLine(first.summary)}`
        : `[Herald] ${items.length} notifications for ${contact.name}`;
    const body = items.map((item) =>
      `* ${oneLine(item.summary)}\n  ${item.link ?? ""}\n  ${item.topic} at ${item.time}`.replace(/\n {2}\n/, "\n"),
    );
    const rulesPage = await options.preferencesUrl(contact.name);
    const footer = `--\nYou get these because of your Herald notification rules: ${rulesPage}`;
    try {
      await transport.sendMail({
        from: options.from,
        to: contact.email as string,
        subject,
        text: `${body.join("\n\n")}\n\n${footer}\n`,
        // Auto-Submitted keeps vacation replies away; List-Unsubscribe gives mail clients a way out.
        headers: {
          "Auto-Submitted": "auto-generated",
          "List-Unsubscribe": `<${rulesPage}>`,
          "X-Herald-Messages": items.map((item) => item.messageId).join(" "),
        },
      });
    } catch (cause) {
      throw new HeraldError("E_TRANSPORT", `SMTP ${new URL(options.smtpUrl).host}: ${(cause as Error).message}`, {
        cause,
      });
    }
  };
  return { send, close: () => transport.close() };
}

function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a header must not carry line breaks from message data.
  return text.replace(/[\x00-\x1f\x7f]+/g, " ").slice(0, 200);
}
