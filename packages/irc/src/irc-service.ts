import { admissionSource, type MetricsSource } from "@herald/ops";
import { presentMessage, type SchemaCatalogue } from "@herald/schemas";
import { busFromConfig, type HeraldConfig, type Logger, type Policy, type TrustStore } from "@herald/sdk";
import { createRejectionReport } from "@herald/sdk/internal";
import { channelFilter } from "./channel-filter.js";
import type { IrcConfig } from "./irc-config.js";
import { formatIrcLine } from "./irc-format.js";
import { ircBotFromConfig } from "./irc-from-config.js";

/** What {@link startIrcService} needs. */
export interface IrcServiceOptions {
  config: HeraldConfig & IrcConfig;
  trust: TrustStore | undefined;
  policy: Policy;
  logger: Logger;
  /** Bus addresses (default: every configured endpoint). */
  connect?: string[] | undefined;
  /**
   * The schemas messages are checked and presented with; a `dataschema` only its registry service
   * knows is fetched before the message is shown (default: data unchecked, the built-in catalogue presents).
   */
  catalogue?: SchemaCatalogue | undefined;
}

/** The running IRC service: for a ready line, `/metrics` and `/healthz`. */
export interface IrcService {
  readonly description: string;
  readonly sources: readonly MetricsSource[];
  health(): { ok: boolean; irc: string };
  close(): Promise<void>;
}

/**
 * Joins the `[irc]` server's channels and posts each matching message's summary line there,
 * colored, with its link, within a flood-safe rate; the bot reconnects on its own.
 * @throws HeraldError `E_CONFIG` when `[irc]` lacks a server or channels; `E_TRANSPORT` when the
 *   server or the bus cannot be reached.
 */
export async function startIrcService(options: IrcServiceOptions): Promise<IrcService> {
  const { config, trust, policy, logger } = options;
  const { irc } = config;
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
  const {
    bus,
    transport,
    description: from,
  } = await busFromConfig(config, {
    connect: options.connect,
    logger,
    trust,
    policy,
    schemas: options.catalogue?.registry ?? "none",
  }).catch(async (error: unknown) => {
    await bot.close();
    throw error;
  });
  const consumption = await bus.consume(
    patterns,
    (message) => {
      const { app, presentation } = presentMessage(message, config, options.catalogue?.presenter);
      const line = formatIrcLine(app, presentation);
      for (const channel of channels)
        if (channel.accepts(message.topic, app, presentation)) bot.say(channel.name, line);
    },
    { onReject: rejections.count },
  );
  const names = channels.map((channel) => channel.name).join(" ");
  return {
    description: `${irc.nick} in ${names} on ${irc.server ?? ""}:${irc.port}, from ${from}`,
    sources: [
      admissionSource("subscription", () => consumption.stats, transport),
      {
        part: "irc",
        messagesOut: () => bot.queue.sent,
        queueDepth: () => bot.queue.waiting,
        rejected: () => ({ "queue-full": bot.queue.dropped }),
        reconnects: () => bot.reconnects,
      },
    ],
    health: () => ({ ok: bot.connected, irc: bot.connected ? "connected" : "reconnecting" }),
    async close() {
      await consumption.close();
      rejections.stop();
      await bus.close();
      await bot.close();
    },
  };
}
