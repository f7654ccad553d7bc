import { ircNickPattern } from "@herald/irc";
import { HeraldError } from "@herald/sdk";

/**
 * An e-mail address a notification may go to: one `local@domain`, no display name, no space,
 * comma, angle bracket or control character (`\r\nBcc: …` would add a recipient), at most 254
 * characters (RFC 5321's limit).
 */
const emailPattern =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** True when `address` is a single plain e-mail address. */
export function isEmailAddress(address: string): boolean {
  return address.length <= 254 && emailPattern.test(address);
}

/**
 * Checks a user's addresses where they are stored (the preferences page and `herald prefs
 * contact` both come here); the senders check again before each message.
 * @throws HeraldError `E_CONFIG` naming the field and what it must be.
 */
export function checkContact(contact: { email?: string | null; ircNick?: string | null }): void {
  if (typeof contact.email === "string" && !isEmailAddress(contact.email))
    throw new HeraldError(
      "E_CONFIG",
      `email: ${JSON.stringify(contact.email)} is not an e-mail address (name@example.org)`,
    );
  if (typeof contact.ircNick === "string" && !ircNickPattern.test(contact.ircNick))
    throw new HeraldError(
      "E_CONFIG",
      `irc_nick: ${JSON.stringify(contact.ircNick)} is not an IRC nick (a letter, then letters, digits, -[]\\\`_^{|}; at most 30)`,
    );
}
