import { channelFilter, formatIrcLine, ircBotFromConfig } from "@herald/irc";
import { admissionSource, createCommandMetrics, opsRoutes, serveOps } from "@herald/ops";
import { createRejectionReport } from "@herald/sdk";
import { receivingBus } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { presentMessage } from "../presented-message.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";

/** Flags of `herald irc`. */
export interface IrcCommandOptions {
  connect?: string[];
  http?: number | false;
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald irc`: joins the `[irc]` server's channels and posts each matching message's summary
 * line there, colored, with its link, within a flood-safe rate; reconnects on its own. Stops on
 * SIGINT or SIGTERM.
 */
export async function runIrc(options: IrcCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { irc } = config;
  if (irc.channels.length === 0) throw new CliError("E_USAGE", "no channels: add [[irc.channels]] to herald.toml");
  const { trust, policy } = receivingTrust(options, config, io, "post unverified messages");
  const logger = stderrLogger("irc", io);
  const bot = await ircBotFromConfig(
    config,
    irc.channels.map((channel) => channel.name),
    logger,
  );
  const channels = irc.channels.map((channel) => ({ name: channel.name, accepts: channelFilter(channel) }));
  const patterns = irc.channels.every((channel) => channel.topics !== undefined)
    ? [...new Set(irc.channels.flatMap((channel) => channel.topics ?? []))]
    : ["#"];
  const rejections = createRejectionReport(logger);
  const { bus, transport, from } = await receivingBus(config, { connect: options.connect, trust, policy }, logger);
  const consumption = await bus.consume(
    patterns,
    (message) => {
      const { app, presentation } = presentMessage(message, config);
      const line = formatIrcLine(app, presentation);
      for (const channel of channels)
        if (channel.accepts(message.topic, app, presentation)) bot.say(channel.name, line);
    },
    { onReject: rejections.count },
  );

  const metrics = createCommandMetrics("irc");
  metrics.add(admissionSource("subscription", () => consumption.stats, transport));
  metrics.add({
    part: "irc",
    messagesOut: () => bot.queue.sent,
    queueDepth: () => bot.queue.waiting,
    rejected: () => ({ "queue-full": bot.queue.dropped }),
    reconnects: () => bot.reconnects,
  });
  const health = () => ({ ok: bot.connected, irc: bot.connected ? "connected" : "reconnecting" });
  const port = options.http === false ? undefined : (options.http ?? irc.httpPort);
  const ops = port === undefined ? undefined : await serveOps(opsRoutes(metrics, health), port, irc.httpHost);
  const names = channels.map((channel) => channel.name).join(" ");
  logger.info(`ready: ${irc.nick} in ${names} on ${irc.server ?? ""}:${irc.port}, from ${from}`);
  const signal = await untilStopped();
  await ops?.close();
  await consumption.close();
  rejections.stop();
  await bus.close();
  await bot.close();
  logger.info(`${signal}: stopped`);
}
