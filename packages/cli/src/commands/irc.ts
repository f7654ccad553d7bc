import { readFileSync } from "node:fs";
import { channelFilter, createIrcBot, formatIrcLine } from "@herald/irc";
import { present } from "@herald/schemas";
import { createBus, schemaNameOf } from "@herald/sdk";
import { receivingTransport } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { admissionSource } from "../ops/admission-source.js";
import { createCommandMetrics } from "../ops/metrics.js";
import { opsRoutes } from "../ops/ops-routes.js";
import { serveOps } from "../ops/ops-server.js";
import { receivingTrust } from "../receiving-trust.js";
import { createRejectionReport } from "../rejection-report.js";
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
  if (irc.server === undefined)
    throw new CliError("E_USAGE", "no IRC server: set server in [irc] of herald.toml (docs/irc.md)");
  if (irc.channels.length === 0) throw new CliError("E_USAGE", "no channels: add [[irc.channels]] to herald.toml");
  const { trust, policy } = receivingTrust(options, config, io, "post unverified messages");
  const logger = stderrLogger("irc", io);
  const password = irc.saslPasswordFile === undefined ? undefined : readSecret(irc.saslPasswordFile);
  if ((irc.saslAccount === undefined) !== (password === undefined))
    throw new CliError("E_USAGE", "[irc] sasl_account and sasl_password_file go together");

  const bot = await createIrcBot({
    server: irc.server,
    port: irc.port,
    tls: irc.tls,
    nick: irc.nick,
    channels: irc.channels.map((channel) => channel.name),
    messagesPerSecond: irc.messagesPerSecond,
    burst: irc.burst,
    logger,
    ...(irc.saslAccount === undefined || password === undefined
      ? {}
      : { sasl: { account: irc.saslAccount, password } }),
  });
  const channels = irc.channels.map((channel) => ({ name: channel.name, accepts: channelFilter(channel) }));
  const patterns = irc.channels.every((channel) => channel.topics !== undefined)
    ? [...new Set(irc.channels.flatMap((channel) => channel.topics ?? []))]
    : ["#"];
  const rejections = createRejectionReport(logger);
  const { transport, from } = await receivingTransport(
    config,
    options.connect === undefined ? {} : { connect: options.connect },
    logger,
  );
  const bus = createBus({ transport, policy, ...(trust === undefined ? {} : { trust }) });
  const consumption = await bus.consume(
    patterns,
    ({ topic, envelope }) => {
      const schemaName = schemaNameOf(topic, config.prefix, config.environment);
      const presentation = present(envelope, schemaName);
      const app = (schemaName ?? envelope.source.split("/")[1] ?? "herald").split(".")[0] as string;
      const line = formatIrcLine(app, presentation);
      for (const channel of channels) if (channel.accepts(topic, app, presentation)) bot.say(channel.name, line);
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
  logger.info(`ready: ${irc.nick} in ${names} on ${irc.server}:${irc.port}, from ${from}`);
  const signal = await untilStopped();
  await ops?.close();
  await consumption.close();
  rejections.stop();
  await bus.close();
  await bot.close();
  logger.info(`${signal}: stopped`);
}

function readSecret(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (cause) {
    throw new CliError("E_INPUT", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
}
