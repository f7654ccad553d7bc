import { startBridges } from "@herald/bridge";
import { createCommandMetrics, opsRoutes, serveOps } from "@herald/ops";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";
import { signingKeyFrom } from "./sign.js";

/** Flags of `herald bridge`. */
export interface BridgeCommandOptions {
  only?: string[];
  http?: number | false;
  trust?: string;
  insecure?: boolean;
  key?: string;
  keyid?: string;
  config?: string;
}

/**
 * `herald bridge`: runs the `[[bridges]]` of the configuration (or those named by `--only`) until
 * SIGINT or SIGTERM, with `/healthz` and `/metrics` on the bridge's HTTP port.
 */
export async function runBridge(options: BridgeCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const logger = stderrLogger("bridge", io);
  const chosen = config.bridges.filter((bridge) => options.only === undefined || options.only.includes(bridge.name));
  const unknown = options.only?.filter((name) => !config.bridges.some((bridge) => bridge.name === name)) ?? [];
  if (unknown.length > 0) throw new CliError("E_USAGE", `no bridge named ${unknown.join(", ")} in the configuration`);
  if (chosen.length === 0)
    throw new CliError("E_USAGE", "no bridges configured: add [[bridges]] to herald.toml (see docs/bridges.md)");
  const { trust, policy } = receivingTrust(options, config, io, "bridge unverified messages");
  const signingKey = signingKeyFrom(options, io);
  const bridges = await startBridges({ config, bridges: chosen, trust, policy, signingKey, logger });
  const metrics = createCommandMetrics("bridge");
  for (const source of bridges.sources) metrics.add(source);
  const port = options.http === false ? undefined : (options.http ?? config.bridge.httpPort);
  const ops =
    port === undefined
      ? undefined
      : await serveOps(opsRoutes(metrics, bridges.health), port, config.bridge.httpHost).catch(async (error) => {
          await bridges.close();
          throw error;
        });
  const http = ops === undefined ? "" : `, metrics http://${config.bridge.httpHost}:${ops.port}/metrics`;
  logger.info(`ready: ${bridges.names.join(", ")} on ${bridges.description}${http}`);
  const signal = await untilStopped();
  await ops?.close();
  await bridges.close();
  logger.info(`${signal}: stopped`);
}
