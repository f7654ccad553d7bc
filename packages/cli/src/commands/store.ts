import { startStoreService } from "@herald/store";
import { Option } from "commander";
import { requireBusAddresses } from "../bus-transport.js";
import { collect, port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";

/** Flags of `herald store`. */
export interface StoreOptions {
  db?: string;
  connect?: string[];
  topic?: string[];
  http?: number | false;
  peer?: string[];
  queue?: string;
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald store`: subscribes, verifies, archives in batches and serves the query API until SIGINT
 * or SIGTERM. With peers, it fetches what it missed on every gap and, at start, what was published
 * since its newest message.
 */
export async function runStore(options: StoreOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  requireBusAddresses(config, options.connect);
  const { trust, policy } = receivingTrust(options, config, io, "store unverified messages", "store");
  // /healthz and /metrics are served beside the query API, so runService serves none itself.
  await runService(io, "store", undefined, async ({ logger, metrics, opsRoutes }) => {
    const service = await startStoreService({
      config,
      trust,
      policy,
      logger,
      db: options.db,
      topics: options.topic,
      connect: options.connect,
      catalogue: schemaCatalogueFor(config, io, [], "store"),
      queue: options.queue,
      peers: options.peer,
      http: options.http,
      opsRoutes,
    });
    for (const source of service.sources) metrics.add(source);
    return { ready: service.description, close: service.close, summary: service.summary };
  });
}

/** `herald store`: its arguments and flags, beside the function that runs it. */
export const storeCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
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
    ),
  action: (io) => (options) => runStore(options, io),
});
