import type { Logger } from "@herald/sdk";
import { createBackoff, HeraldError } from "@herald/sdk";
import { Client } from "irc-framework";
import { isIrcTarget } from "./irc-target.js";
import { createSendQueue, type SendQueue } from "./send-queue.js";

/** Options of {@link createIrcBot}. */
export interface IrcBotOptions {
  server: string;
  port: number;
  tls: boolean;
  nick: string;
  /** SASL PLAIN credentials, for networks that require an account. */
  sasl?: { account: string; password: string };
  /** Channels to join, and join again after every reconnection. */
  channels: readonly string[];
  /** The flood-safe rate: lines per second, and the burst allowed after a quiet spell. */
  messagesPerSecond: number;
  burst: number;
  logger: Logger;
}

/** A connected bot. */
export interface IrcBot {
  /**
   * Queues a line to a channel or a nick (a private message), sent within the rate limit; line
   * breaks and NUL in the line become spaces.
   * @throws HeraldError `E_CONFIG` when `target` is no nick or channel name (it could carry commands).
   */
  say(target: string, line: string): void;
  readonly connected: boolean;
  readonly reconnects: number;
  readonly queue: Pick<SendQueue, "sent" | "dropped" | "waiting">;
  close(): Promise<void>;
}

/**
 * Connects a bot (irc-framework: TLS, SASL, IRCv3) and resolves once it is registered and has
 * joined its channels. Afterwards it reconnects on its own, with backoff, forever; lines wait in
 * the queue meanwhile.
 * @throws HeraldError `E_TRANSPORT` when the first connection fails or is refused.
 */
export function createIrcBot(options: IrcBotOptions): Promise<IrcBot> {
  const client = new Client();
  const queue = createSendQueue({
    perSecond: options.messagesPerSecond,
    burst: options.burst,
    maxWaiting: 500,
    send: (target, line) => client.say(target, line),
  });
  queue.pause();
  const where = `${options.tls ? "ircs" : "irc"}://${options.server}:${options.port}`;
  let registered = false;
  let everRegistered = false;
  let closing = false;
  let reconnects = 0;
  const retry = createBackoff({ initialMs: 1000, maxMs: 60_000 });
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = () =>
    client.connect({
      host: options.server,
      port: options.port,
      tls: options.tls,
      nick: options.nick,
      username: options.nick,
      gecos: "Herald bot",
      // Reconnection is ours (below): irc-framework gives up after a few tries.
      auto_reconnect: false,
      ...(options.sasl === undefined ? {} : { account: options.sasl }),
    });

  return new Promise((resolve, reject) => {
    const ready = () => {
      queue.resume();
      if (!everRegistered) {
        everRegistered = true;
        resolve(bot);
      }
    };
    client.on("registered", () => {
      registered = true;
      retry.reset();
      for (const channel of options.channels) client.join(channel);
      if (everRegistered) options.logger.info(`reconnected to ${where} as ${client.user.nick}`);
      // A bot without channels only sends private messages: registered is ready.
      if (options.channels.length === 0) ready();
    });
    client.on("join", (event: { nick: string; channel: string }) => {
      if (event.nick !== client.user.nick) return;
      joined.add(event.channel.toLowerCase());
      if (options.channels.every((channel) => joined.has(channel.toLowerCase()))) ready();
    });
    const joined = new Set<string>();
    client.on("nick in use", () => client.changeNick(`${options.nick}_${Math.floor(Math.random() * 100)}`));
    // 432 (too long, or characters the server does not allow): no other nick would be ours, and
    // the server would only wait for one until it times out, so the server's words are the error.
    client.on("nick invalid", (event: { nick?: string; reason?: string }) => {
      const why = `the server refused the nick ${JSON.stringify(event.nick ?? options.nick)}: 432 ${event.reason ?? "Erroneous nickname"}`;
      if (!everRegistered) {
        closing = true;
        client.removeAllListeners();
        client.quit();
        reject(new HeraldError("E_CONFIG", `cannot join ${where}: ${why}; choose a shorter nick in [irc] nick`));
        return;
      }
      options.logger.error(`${where}: ${why}`);
    });
    client.on("sasl failed", (event: { reason?: string }) =>
      options.logger.error(`SASL login as ${options.sasl?.account} failed: ${event.reason ?? "refused"}`),
    );
    client.on("irc error", (event: { error: string; channel?: string; reason?: string }) =>
      options.logger.warn(
        event.error === "irc"
          ? `${where} says: ${event.reason ?? "error"}`
          : `${where}: ${event.error.replaceAll("_", " ")}${event.channel ? ` ${event.channel}` : ""}${event.reason ? `: ${event.reason}` : ""}`,
      ),
    );
    client.on("socket close", (error: Error | false) => {
      registered = false;
      joined.clear();
      queue.pause();
      if (closing) return;
      const why = error ? error.message : "connection closed";
      if (!everRegistered) {
        client.removeAllListeners();
        reject(new HeraldError("E_TRANSPORT", `cannot join ${where}: ${why}`, error ? { cause: error } : {}));
        return;
      }
      const delay = retry.next();
      options.logger.warn(`lost ${where} (${why}); reconnecting in ${(delay / 1000).toFixed(1)} s`);
      retryTimer = setTimeout(() => {
        reconnects++;
        connect();
      }, delay);
    });

    const bot: IrcBot = {
      say: (target, line) => {
        if (!isIrcTarget(target))
          throw new HeraldError("E_CONFIG", `${JSON.stringify(target)} is not an IRC nick or channel`);
        queue.push(target, line.replace(/[\r\n\0]/g, " "));
      },
      get connected() {
        return registered;
      },
      get reconnects() {
        return reconnects;
      },
      queue,
      async close() {
        closing = true;
        if (retryTimer !== undefined) clearTimeout(retryTimer);
        queue.close();
        if (!registered) return;
        await new Promise<void>((done) => {
          client.once("close", () => done());
          client.quit("Herald stopping");
          setTimeout(done, 2000).unref();
        });
      },
    };
    connect();
  });
}
