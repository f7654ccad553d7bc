import { presentMessage, type SchemaCatalogue } from "@herald/schemas";
import { busFromConfig, type HeraldConfig, type Logger, type Policy, type TrustStore } from "@herald/sdk";
import { createRejectionReport } from "@herald/sdk/internal";
import { type DesktopNotifier, systemNotifier } from "./desktop-notifier.js";
import { compileRule, type Rule } from "./rule.js";

/** What {@link startDesktopNotifications} needs. */
export interface DesktopNotificationsOptions {
  config: HeraldConfig;
  trust: TrustStore | undefined;
  policy: Policy;
  logger: Logger;
  /** The rules to show notifications for (a user's desktop rules, or ones built from flags). */
  rules: readonly Rule[];
  connect?: string[] | undefined;
  /**
   * The schemas messages are checked and presented with; a `dataschema` only its registry service
   * knows is fetched before the message is shown (default: data unchecked, the built-in catalogue presents).
   */
  catalogue?: SchemaCatalogue | undefined;
  /** Where a notification goes when this desktop has no notification service. */
  print(line: string): void;
  /** The desktop's notification service (default: notify-send, osascript on macOS). */
  notifier?: DesktopNotifier;
}

/**
 * Desktop notifications on this machine for the messages that match `rules`; printed instead,
 * once warned, where no notification service runs.
 * @throws HeraldError `E_CONFIG`, `E_TRANSPORT` when the bus cannot be reached.
 */
export async function startDesktopNotifications(
  options: DesktopNotificationsOptions,
): Promise<{ description: string; close(): Promise<void> }> {
  const { config, trust, policy, logger } = options;
  const matchers = options.rules.map(compileRule);
  const rejections = createRejectionReport(logger);
  const { bus, description: from } = await busFromConfig(config, {
    connect: options.connect,
    logger,
    trust,
    policy,
    schemas: options.catalogue?.registry ?? "none",
  });
  const show = options.notifier ?? systemNotifier();
  let warned = false;
  const consumption = await bus.consume(
    ["#"],
    async (message) => {
      const presented = presentMessage(message, config, options.catalogue?.presenter);
      if (!matchers.some((matches) => matches(presented))) return;
      if (await show(`Herald: ${presented.event}`, presented.presentation)) return;
      if (!warned) logger.warn("no desktop notification service (notify-send): printing instead");
      warned = true;
      options.print(`${message.envelope.time} ${presented.presentation.summary}`);
    },
    { onReject: rejections.count },
  );
  return {
    description: `${options.rules.length} rule(s), from ${from}`,
    async close() {
      await consumption.close();
      rejections.stop();
      await bus.close();
    },
  };
}
