import { startGatewayService } from "@herald/gateway";
import { Option } from "commander";
import { requireBusAddresses } from "../bus-transport.js";
import { collect, port, positiveInteger, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";
import { checkTopicPatterns } from "../topic-flags.js";

/** Flags of `herald gateway`. */
export interface GatewayCommandOptions {
  connect?: string[];
  topic?: string[];
  http: number;
  host: string;
  limit?: number;
  maxClients?: number;
  allowOrigin?: string[];
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald gateway`: streams verified messages to browsers over WebSocket (`/stream`), and serves
 * the documentation site with the live monitor (`/` opens it), `/healthz` and `/metrics`.
 */
export async function runGateway(options: GatewayCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  requireBusAddresses(config, options.connect);
  const { trust, policy } = receivingTrust(options, config, io, "stream unverified messages", "gateway");
  await runService(io, "gateway", undefined, async ({ logger, metrics, opsRoutes }) => {
    checkTopicPatterns(options.topic ?? ["#"], config.prefix, logger);
    const service = await startGatewayService({
      config,
      trust,
      policy,
      logger,
      port: options.http,
      host: options.host,
      topics: options.topic,
      connect: options.connect,
      catalogue: schemaCatalogueFor(config, io, [], "gateway"),
      perClientLimit: options.limit,
      maxClients: options.maxClients,
      allowedOrigins: options.allowOrigin,
      opsRoutes,
    });
    for (const source of service.sources) metrics.add(source);
    return { ready: service.description, close: service.close };
  });
}

/** `herald gateway`: its arguments and flags, beside the function that runs it. */
export const gatewayCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
        .option("--topic <pattern>", "what to stream at most (repeatable; default #: browsers filter further)", collect)
        .addOption(new Option("--http <port>", "port for the monitor and /stream").argParser(port).default(9944))
        .option("--host <host>", "address to listen on", "127.0.0.1")
        .addOption(
          new Option(
            "--limit <n>",
            "messages that may wait for one browser before its oldest are dropped (default 1000)",
          ).argParser(positiveInteger),
        )
        .addOption(
          new Option("--max-clients <n>", "browsers connected at once; one more gets 503 (default 100)").argParser(
            positiveInteger,
          ),
        )
        .option(
          "--allow-origin <origin>",
          "another site whose pages may open /stream, e.g. https://monitor.example.org (repeatable; its own pages always may)",
          collect,
        )
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "stream unverified messages too, marked as such"),
    ),
  action: (io) => (options) => runGateway(options, io),
});
