import { addHubMetrics, type HostedConsumer, hubHealth, hubRoutes, loadConsumer, startHubService } from "@herald/hub";
import { createCommandMetrics, opsRoutes, serveOps } from "@herald/ops";
import { createSchemaRegistry } from "@herald/schemas";
import { createRelayClient } from "@herald/transport-zeromq";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
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
  const { trust, policy } = receivingTrust(options, config, io, "hand consumers unverified messages");
  const logger = stderrLogger("hub", io);
  const hosted: HostedConsumer[] = [];
  for (const entry of config.hub.consumers)
    hosted.push({ consumer: await loadConsumer(entry.module), settings: entry.settings, limits: entry.limits });
  const names = hosted.map(({ consumer }) => consumer.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new CliError("E_USAGE", `two consumers are named ${repeated}`);

  const relay =
    config.relays.length === 0
      ? undefined
      : createRelayClient({ relays: config.relays, timeoutMs: config.relayTimeoutMs });
  const { hub, description } = await startHubService({
    config,
    consumers: hosted,
    schemas: createSchemaRegistry(),
    trust,
    policy,
    logger,
    consumerLogger: (name) => stderrLogger(`hub ${name}`, io),
    ...(relay === undefined ? {} : { send: (envelope) => relay.send(envelope) }),
  });
  const metrics = createCommandMetrics("hub");
  addHubMetrics(metrics, hub);
  const port = options.http === false ? undefined : (options.http ?? config.hub.httpPort);
  const ops =
    port === undefined
      ? undefined
      : await serveOps(
          hubRoutes(
            hub,
            opsRoutes(metrics, () => hubHealth(hub)),
          ),
          port,
          config.hub.httpHost,
        ).catch(async (error) => {
          await hub.close();
          throw error;
        });
  const http = ops === undefined ? "" : `, metrics http://${config.hub.httpHost}:${ops.port}/metrics`;
  logger.info(`ready: ${names.join(", ")} on ${description}${http}`);
  const signal = await untilStopped();
  await ops?.close();
  await hub.close();
  await relay?.close();
  logger.info(`${signal}: stopped`);
}
