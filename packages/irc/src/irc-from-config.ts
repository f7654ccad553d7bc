import { readFileSync } from "node:fs";
import { type HeraldConfig, HeraldError, type Logger } from "@herald/sdk";
import { createIrcBot, type IrcBot } from "./irc-bot.js";
import type { IrcConfig } from "./irc-config.js";

/**
 * Connects the `[irc]` bot of the configuration (server, TLS, nick, SASL from a password file,
 * rate limit) to `channels` — none for a bot that only sends private messages.
 * @throws HeraldError `E_CONFIG` when no server is set or SASL is half-configured.
 */
export function ircBotFromConfig(
  config: HeraldConfig & IrcConfig,
  channels: string[],
  logger: Logger,
): Promise<IrcBot> {
  const { irc } = config;
  if (irc.server === undefined)
    throw new HeraldError("E_CONFIG", "no IRC server: set server in [irc] of herald.toml (docs/irc.md)");
  const password = irc.saslPasswordFile === undefined ? undefined : readSecretFile(irc.saslPasswordFile);
  if ((irc.saslAccount === undefined) !== (password === undefined))
    throw new HeraldError("E_CONFIG", "[irc] sasl_account and sasl_password_file go together");
  return createIrcBot({
    server: irc.server,
    port: irc.port,
    tls: irc.tls,
    nick: irc.nick,
    channels,
    messagesPerSecond: irc.messagesPerSecond,
    burst: irc.burst,
    logger,
    ...(irc.saslAccount === undefined || password === undefined
      ? {}
      : { sasl: { account: irc.saslAccount, password } }),
  });
}

function readSecretFile(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (cause) {
    throw new HeraldError("E_CONFIG", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      cause,
    });
  }
}
