import { addHubMetrics, type HostedConsumer, hubHealth, hubRoutes, loadConsumer, startHubService } from "@herald/hub";
import { createRelayClient } from "@herald/transport-zeromq";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";
import { stderrLogger } from "../stderr-logger.js";

/** Flags of `herald hub`. */
export interface HubCommandOptions {
  http?: number | false;
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald hub`: hosts the `[[hub.consumers]]` of the configuration until SIGINT or SIGTERM, with
 * `/healthz`, `/metrics` and `POST /consumers/<name>/resume` on the hub's HTTP port.
 */
export async function runHub(options: HubCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  if (config.hub.consumers.length === 0)
    throw new CliError("E_USAGE", "no consumers configured: add [[hub.consumers]] to herald.toml (see docs/hub.md)");
  const { trust, policy } = receivingTrust(options, config, io, "hand consumers unverified messages", "hub");
  const catalogue = schemaCatalogueFor(config, io, [], "hub");
  const hosted: HostedConsumer[] = [];
  for (const entry of config.hub.consumers)
    hosted.push({
      consumer: await loadConsumer(entry.module, catalogue.entries),
      settings: entry.settings,
      limits: entry.limits,
      isolation: entry.isolation,
      module: entry.module,
    });
  const names = hosted.map(({ consumer }) => consumer.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new CliError("E_USAGE", `two consumers are named ${repeated}`);

  const port = options.http === false ? undefined : (options.http ?? config.hub.httpPort);
  const ops = port === undefined ? undefined : { port, host: config.hub.httpHost };
  await runService(io, "hub", ops, async ({ logger, metrics }) => {
    const relay =
      config.relays.length === 0
        ? undefined
        : createRelayClient({ relays: config.relays, timeoutMs: config.relayTimeoutMs });
    const { hub, description } = await startHubService({
      config,
      consumers: hosted,
      schemas: catalogue.registry,
      trust,
      policy,
      logger,
      consumerLogger: (name) => stderrLogger(`hub ${name}`, io),
      ...(relay === undefined ? {} : { send: (envelope) => relay.send(envelope) }),
    });
    addHubMetrics(metrics, hub);
    return {
      ready: `${names.join(", ")} on ${description}`,
      health: () => hubHealth(hub),
      routes: (opsRoutes) => hubRoutes(hub, opsRoutes),
      async close() {
        await hub.close();
        await relay?.close();
      },
    };
  });
}

/** `herald hub`: its arguments and flags, beside the function that runs it. */
export const hubCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .addOption(
          new Option("--http <port>", "serve /healthz and /metrics here (default: hub.http_port)").argParser(port),
        )
        .option("--no-http", "serve no /healthz and /metrics")
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "hand consumers unverified messages too"),
    ),
  action: (io) => (options) => runHub(options, io),
});
