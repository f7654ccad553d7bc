import { openPreferencesStore, type Rule, startDesktopNotifications } from "@herald/notifications";
import { isValidTopicPattern } from "@herald/sdk";
import { requireBusAddresses } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { collect, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";

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
  const rules = await desktopRules(options, config.notifications.db);
  if (rules.length === 0)
    throw new CliError(
      "E_USAGE",
      "nothing to notify about: pass --topic PATTERN or --about USER, or give --user desktop rules",
    );
  requireBusAddresses(config, options.connect);
  const { trust, policy } = receivingTrust(options, config, io, "notify about unverified messages", "notify");
  await runService(io, "notify", undefined, async ({ logger }) => {
    const service = await startDesktopNotifications({
      config,
      trust,
      policy,
      logger,
      rules,
      connect: options.connect,
      catalogue: schemaCatalogueFor(config, io, [], "notify"),
      print: (line) => io.stdout.write(`${line}\n`),
    });
    return { ready: service.description, close: service.close };
  });
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

/** `herald notify`: its arguments and flags, beside the function that runs it. */
export const notifyCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--user <name>", "use this user's desktop rules from the preferences database")
        .option("--topic <pattern>", "notify about this event pattern, e.g. git.# (repeatable)", collect)
        .option("--about <name>", "only messages naming this user")
        .option("--db <db>", "preferences database (default: notifications.db)")
        .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "notify about unverified messages too"),
    ),
  action: (io) => (options) => runNotify(options, io),
});
