import { type Command, Option } from "commander";
import { collect, port, positiveInteger, withConfig } from "./cli-options.js";
import type { CommandIo } from "./io.js";

/**
 * Registers the commands that react to messages: `hub` and `consumer check`, `trigger`, `irc`,
 * `notifications`, `notify` and `prefs`.
 */
export function addReactingCommands(program: Command, io: CommandIo): void {
  withConfig(
    program
      .command("hub")
      .description("Host the configured [[hub.consumers]]: retries, timeouts, isolation, /healthz and /metrics.")
      .addOption(
        new Option("--http <port>", "serve /healthz and /metrics here (default: hub.http_port)").argParser(port),
      )
      .option("--no-http", "serve no /healthz and /metrics")
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "hand consumers unverified messages too"),
  ).action(async (options) => (await import("./commands/hub.js")).runHub(options, io));

  withConfig(
    program
      .command("trigger")
      .description(
        "Run a command for each matching message, the envelope on its stdin and HERALD_* in its environment (no shell).",
      )
      .requiredOption("--topic <pattern>", "full-topic pattern to react to (repeatable)", collect)
      .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
      .addOption(
        new Option("--wait-for <ms>", "run once per burst, after this long without a new message").argParser(
          positiveInteger,
        ),
      )
      .addOption(new Option("--concurrency <n>", "runs of the command at once (default 1)").argParser(positiveInteger))
      .addOption(
        new Option("--queue-limit <n>", "messages that may wait for the command (default 100)").argParser(
          positiveInteger,
        ),
      )
      .addOption(new Option("--count <n>", "exit after this many runs").argParser(positiveInteger))
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "run the command for unverified messages too")
      .argument("<command...>", "the command and its arguments, after --")
      .passThroughOptions(),
  ).action(async (command, options) => (await import("./commands/trigger.js")).runTrigger(command, options, io));

  withConfig(
    program
      .command("irc")
      .description("Post each matching message's summary line to the [irc] server's channels (docs/irc.md).")
      .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
      .addOption(
        new Option("--http <port>", "serve /healthz and /metrics here (default: irc.http_port)").argParser(port),
      )
      .option("--no-http", "serve no /healthz and /metrics")
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "post unverified messages too"),
  ).action(async (options) => (await import("./commands/irc.js")).runIrc(options, io));

  withConfig(
    program
      .command("notifications")
      .description(
        "Notify people by their rules: e-mail (digests, hourly cap) and IRC, with the preferences page (docs/notifications.md).",
      )
      .option(
        "--db <db>",
        "preferences database, sqlite:FILE or postgres://… (default: notifications.db, else store.db)",
      )
      .option("--smtp <url>", "SMTP server, smtp://host:port (default: notifications.smtp_url)")
      .addOption(
        new Option(
          "--http <port>",
          "preferences page, /healthz and /metrics (default: notifications.http_port)",
        ).argParser(port),
      )
      .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "notify about unverified messages too"),
  ).action(async (options) => (await import("./commands/notifications.js")).runNotifications(options, io));

  withConfig(
    program
      .command("notify")
      .description("Desktop notifications here, for a user's desktop rules or for --topic / --about.")
      .option("--user <name>", "use this user's desktop rules from the preferences database")
      .option("--topic <pattern>", "notify about this event pattern, e.g. git.# (repeatable)", collect)
      .option("--about <name>", "only messages naming this user")
      .option("--db <db>", "preferences database (default: notifications.db)")
      .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "notify about unverified messages too"),
  ).action(async (options) => (await import("./commands/notify.js")).runNotify(options, io));

  const prefs = program.command("prefs").description("Edit people's notification rules and addresses.");
  const prefsCommand = (name: string, description: string) =>
    withConfig(prefs.command(name).description(description)).option(
      "--db <db>",
      "preferences database (default: notifications.db, else store.db)",
    );
  prefsCommand("show", "Print a user's addresses and rules.")
    .argument("<user>")
    .option("--json", "print as JSON")
    .action(async (user, options) => (await import("./commands/prefs.js")).runPrefsShow(user, options, io));
  prefsCommand("contact", "Set where a user is reached.")
    .argument("<user>")
    .option("--email <address>", "e-mail address (empty to clear)")
    .option("--irc-nick <nick>", "IRC nick for private messages (empty to clear)")
    .action(async (user, options) => (await import("./commands/prefs.js")).runPrefsContact(user, options, io));
  prefsCommand("add", "Add a rule: every condition given must hold.")
    .argument("<user>")
    .option("--about-me", "only messages naming the user")
    .option("--topic <pattern>", "event pattern, e.g. git.# (repeatable)", collect)
    .option("--app <app>", "emitting app (repeatable)", collect)
    .option("--package <name>", "a package the user follows (repeatable)", collect)
    .requiredOption("--delivery <how>", "email, irc or desktop")
    .option("--digest <duration>", "gather matches and send them together: 5m, 1h, 1d (default: at once)")
    .option("--json", "print the rule as JSON")
    .action(async (user, options) => (await import("./commands/prefs.js")).runPrefsAdd(user, options, io));
  prefsCommand("remove", "Remove one of a user's rules.")
    .argument("<user>")
    .argument("<id>", "the rule's number, from prefs show")
    .action(async (user, id, options) => (await import("./commands/prefs.js")).runPrefsRemove(user, id, options, io));
  prefsCommand("link", "Print the address of a user's preferences page (whoever has it may edit their rules).")
    .argument("<user>")
    .action(async (user, options) => (await import("./commands/prefs.js")).runPrefsLink(user, options, io));

  const consumer = program.command("consumer").description("Work on consumer modules for herald hub.");
  withConfig(
    consumer
      .command("check")
      .description("Run a consumer module against the hosting policy (docs/hub.md); exit 1 if it breaks a rule.")
      .argument("<module>", "the consumer module: a path or a package name")
      .addOption(
        new Option("--timeout <ms>", "time allowed per message (default: hub timeout_ms)").argParser(positiveInteger),
      )
      .option("--json", "print the findings as JSON"),
  ).action(async (module, options) =>
    (await import("./commands/consumer-check.js")).runConsumerCheck(module, options, io),
  );
}
