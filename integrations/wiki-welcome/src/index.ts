import { readFileSync } from "node:fs";
import { defineConsumer } from "@herald/hub";
import { createMediaWikiClient, type MediaWikiClient } from "./mediawiki-client.js";

/**
 * The settings of its `[[hub.consumers]]` entry: `api` (the wiki's api.php), `username` (a bot
 * password's name, `Admin@herald`), `password_file` (the bot password, kept out of herald.toml
 * and out of every message), and optionally `text`, the new page's wikitext, where `{username}`
 * and `{full_name}` are filled in.
 */
export interface WikiWelcomeSettings {
  api: string;
  username: string;
  password_file: string;
  text?: string;
}

const defaultText =
  "'''{full_name}''' joined on {date}.\n\n''This page was created by Herald when the account was made.''";

// One logged-in client per wiki for the life of the hub, not a login per message.
const clients = new Map<string, MediaWikiClient>();

function clientFor(settings: WikiWelcomeSettings): MediaWikiClient {
  for (const key of ["api", "username", "password_file"] as const)
    if (typeof settings[key] !== "string") throw new Error(`settings.${key} is missing`);
  let client = clients.get(settings.api);
  if (client === undefined) {
    const password = readFileSync(settings.password_file, "utf8").trim();
    client = createMediaWikiClient({ api: settings.api, username: settings.username, password });
    clients.set(settings.api, client);
  }
  return client;
}

/**
 * When an account is created, create `User:<username>` on the wiki. Idempotent (an existing page
 * is left alone), bounded (every request carries the hub's abort signal), declares its one topic.
 */
export default defineConsumer({
  name: "wiki-welcome",
  topics: ["account.user.create"],
  async handle(message, context) {
    const settings = context.settings as unknown as WikiWelcomeSettings;
    const { username, full_name } = message.data;
    const text = (settings.text ?? defaultText)
      .replaceAll("{username}", username)
      .replaceAll("{full_name}", full_name ?? username)
      .replaceAll("{date}", message.envelope.time.slice(0, 10));
    const outcome = await clientFor(settings).createPage(
      `User:${username}`,
      text,
      `Welcome ${username} (Herald message ${message.envelope.id})`,
      context.signal,
    );
    context.logger.info(`User:${username} ${outcome === "created" ? "created" : "already exists: left as it is"}`);
  },
});
