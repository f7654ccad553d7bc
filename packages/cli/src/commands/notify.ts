import { compileRule, openPreferencesStore, type Rule, systemNotifier } from "@herald/notifications";
import { createRejectionReport, isValidTopicPattern } from "@herald/sdk";
import { receivingBus } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { presentMessage } from "../presented-message.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";

/** Flags of `herald notify`. */
export interface NotifyOptions {
  user?: string;
  topic?: string[];
  about?: string;
  db?: string;
  connect?: string[];
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald notify`: desktop notifications on this machine, for the messages a user's desktop rules
 * match (`--user`, rules from the preferences store) or for ad-hoc `--topic` / `--about`
 * conditions. Without a notification service, each notification is printed instead.
 */
export async function runNotify(options: NotifyOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const logger = stderrLogger("notify", io);
  const rules = await desktopRules(options, config.notifications.db);
  if (rules.length === 0)
    throw new CliError(
      "E_USAGE",
      "nothing to notify about: pass --topic PATTERN or --about USER, or give --user desktop rules",
    );
  const matchers = rules.map(compileRule);
  const { trust, policy } = receivingTrust(options, config, io, "notify about unverified messages");
  const rejections = createRejectionReport(logger);
  const { bus, from } = await receivingBus(config, { connect: options.connect, trust, policy }, logger);
  const show = systemNotifier();
  let warned = false;
  const consumption = await bus.consume(
    ["#"],
    async (message) => {
      const presented = presentMessage(message, config);
      if (!matchers.some((matches) => matches(presented))) return;
      if (await show(`Herald: ${presented.event}`, presented.presentation)) return;
      if (!warned) logger.warn("no desktop notification service (notify-send): printing instead");
      warned = true;
      io.stdout.write(`${message.envelope.time} ${presented.presentation.summary}\n`);
    },
    { onReject: rejections.count },
  );
  logger.info(`ready: ${rules.length} rule(s), from ${from}`);
  const signal = await untilStopped();
  await consumption.close();
  rejections.stop();
  await bus.close();
  logger.info(`${signal}: stopped`);
}

async function desktopRules(options: NotifyOptions, db: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  const adHoc = (topics: string[], aboutMe: boolean): Rule => ({
    id: 0,
    user: options.about ?? "",
    topics,
    apps: [],
    packages: [],
    aboutMe,
    delivery: "desktop",
    digestSeconds: 0,
  });
  for (const pattern of options.topic ?? []) {
    if (!isValidTopicPattern(pattern))
      throw new CliError("E_USAGE", `--topic ${pattern}: not a topic pattern (e.g. git.#)`);
    rules.push(adHoc([pattern], options.about !== undefined));
  }
  if (options.about !== undefined && rules.length === 0) rules.push(adHoc([], true));
  if (options.user !== undefined) {
    const store = await openPreferencesStore(options.db ?? db);
    try {
      rules.push(...(await store.rules(options.user)).filter((rule) => rule.delivery === "desktop"));
    } finally {
      await store.close();
    }
  }
  return rules;
}
