import { createHub, type HostedConsumer, type Hub, loadConsumer } from "@herald/hub";
import { createSchemaRegistry } from "@herald/schemas";
import { createBus, type HeraldConfig, type HttpRoute } from "@herald/sdk";
import { receivingTransport } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import { createConsumerPublisher } from "../hub/consumer-publisher.js";
import { addHubMetrics, hubHealth } from "../hub/hub-metrics.js";
import type { CommandIo } from "../io.js";
import { createCommandMetrics } from "../ops/metrics.js";
import { opsRoutes } from "../ops/ops-routes.js";
import { serveOps } from "../ops/ops-server.js";
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

  const schemas = createSchemaRegistry();
  const publisher = createConsumerPublisher(config);
  const hub = await createHub({
    consumers: hosted,
    acknowledges: config.transport === "amqp",
    logger: (name) => stderrLogger(`hub ${name}`, io),
    ...(publisher === undefined ? {} : { publish: publisher.publish }),
    openBus: async (name) => {
      const queue = config.transport === "amqp" ? { queue: `herald.hub.${name}` } : {};
      const { transport } = await receivingTransport(config, queue, logger);
      const { prefix, environment } = config;
      return createBus({ transport, prefix, environment, policy, schemas, ...(trust === undefined ? {} : { trust }) });
    },
  });
  const metrics = createCommandMetrics("hub");
  addHubMetrics(metrics, hub);
  const port = options.http === false ? undefined : (options.http ?? config.hub.httpPort);
  const ops =
    port === undefined
      ? undefined
      : await serveOps(
          routes(
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
  logger.info(`ready: ${names.join(", ")} on ${describeBus(config)}${http}`);
  const signal = await untilStopped();
  await ops?.close();
  await hub.close();
  await publisher?.close();
  logger.info(`${signal}: stopped`);
}

/** The ops routes plus `POST /consumers/<name>/resume`, which puts an isolated consumer back to work. */
function routes(hub: Hub, ops: HttpRoute): HttpRoute {
  return (request, response) => {
    const resume = request.method === "POST" ? /^\/consumers\/([^/]+)\/resume$/.exec(request.url ?? "") : null;
    if (resume === null) return ops(request, response);
    const name = decodeURIComponent(resume[1] as string);
    hub.resume(name).then(
      (resumed) =>
        response
          .writeHead(resumed ? 200 : 409, { "content-type": "application/json" })
          .end(`${JSON.stringify({ consumer: name, resumed })}\n`),
      (error: Error) => response.writeHead(500, { "content-type": "text/plain" }).end(`${error.message}\n`),
    );
    return true;
  };
}

function describeBus(config: HeraldConfig): string {
  return config.transport === "amqp"
    ? `exchange ${config.amqp.exchange} (queues herald.hub.<consumer>)`
    : Object.values(config.endpoints).flat().join(" ");
}
