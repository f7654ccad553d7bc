import { type Command, Option } from "commander";
import { collect, port, positiveInteger, withConfig } from "./cli-options.js";
import type { CommandIo } from "./io.js";
import { withFilters } from "./store-filters.js";

/** Registers the message store's commands: `store` (with `export`, `import`), `query`, `stats`, `replay`. */
export function addStoreCommands(program: Command, io: CommandIo): void {
  const store = withConfig(
    program
      .command("store")
      .description("Archive every message of the bus and serve the query API (datagrepper's parameters).")
      .enablePositionalOptions()
      .option("--db <spec>", "sqlite:FILE or postgres://… (default: store.db of the configuration)")
      .option(
        "--connect <address>",
        "publisher address to connect to (repeatable; default: every endpoint of the configuration)",
        collect,
      )
      .option("--topic <pattern>", "topic pattern to store (repeatable; default #)", collect)
      .addOption(new Option("--http <port>", "query API port (default: store.http_port, 9950)").argParser(port))
      .option("--no-http", "do not serve the query API")
      .option("--peer <url>", "another store's query API to recover missed messages from (repeatable)", collect)
      .option(
        "--queue <name>",
        "with transport = amqp: the durable queue to read (default: amqp.queue, else herald.store)",
      )
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "store every well-formed message, verified or not (each keeps its outcome)"),
  ).action(async (options) => (await import("./commands/store.js")).runStore(options, io));

  withConfig(
    withFilters(
      store
        .command("export")
        .description("Write stored messages as NDJSON, oldest first, exactly as stored.")
        .option("--db <spec>", "sqlite:FILE or postgres://… (default: store.db of the configuration)")
        .option("--out <file>", "write here instead of standard output"),
    ),
  ).action(async (options) => (await import("./commands/store-export.js")).runStoreExport(options, io));

  withConfig(
    withFilters(
      store
        .command("import")
        .description("Verify and store messages from NDJSON files (or standard input), or from another store.")
        .argument("[files...]", "NDJSON files, one envelope per line (default: standard input)")
        .option("--db <spec>", "sqlite:FILE or postgres://… (default: store.db of the configuration)")
        .option("--from <url>", "read from this store's query API instead of files (filters apply)")
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "store every well-formed message, verified or not"),
    ),
  ).action(async (files, options) => (await import("./commands/store-import.js")).runStoreImport(files, options, io));

  withConfig(
    withFilters(
      program
        .command("query")
        .description("Search stored messages: a table on a terminal, NDJSON with --json.")
        .option("--from <url>", "the store's query API (default: store.url of the configuration)")
        .addOption(new Option("--limit <n>", "at most this many messages (default 25)").argParser(positiveInteger))
        .addOption(new Option("--order <order>", "newest (desc) or oldest (asc) first").choices(["desc", "asc"]))
        .option("--json", "print each message on one line exactly as stored"),
    ),
  ).action(async (options) => (await import("./commands/query.js")).runQuery(options, io));

  withConfig(
    withFilters(
      program
        .command("stats")
        .description("Count stored messages per topic (or app, user) with a sparkline over time.")
        .option("--from <url>", "the store's query API (default: store.url of the configuration)")
        .addOption(
          new Option("--by <dimension>", "what to count by").choices(["topic", "category", "user"]).default("topic"),
        )
        .addOption(new Option("--interval <bucket>", "sparkline bucket").choices(["hour", "day"]).default("hour"))
        .option("--json", "print the counts as JSON"),
    ),
  ).action(async (options) => (await import("./commands/stats.js")).runStats(options, io));

  withConfig(
    withFilters(
      program
        .command("replay")
        .description("Re-publish stored messages unchanged through a relay, oldest first (they still verify).")
        .option("--from <url>", "the store's query API (default: store.url of the configuration)")
        .option(
          "--relay <address>",
          "relay inbound address (repeatable; default: relays of the configuration)",
          collect,
        )
        .option("--dry-run", "count what would be replayed, send nothing"),
    ),
  ).action(async (options) => (await import("./commands/replay.js")).runReplay(options, io));
}
