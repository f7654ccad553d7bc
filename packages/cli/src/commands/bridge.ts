import { createDuplicateFilter } from "@herald/sdk";
import type { RunningBridge } from "../bridge/bridge-direction.js";
import { openHeraldSide } from "../bridge/herald-side.js";
import { bridgeSigns, startBridge } from "../bridge/start-bridge.js";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { createCommandMetrics } from "../ops/metrics.js";
import { opsRoutes } from "../ops/ops-routes.js";
import { serveOps } from "../ops/ops-server.js";
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
  const signer = chosen.find(bridgeSigns);
  if (signer !== undefined && signingKey === undefined)
    throw new CliError(
      "E_USAGE",
      `bridge ${signer.name} signs what it converts: set key_file and key_id (or --key, --keyid)`,
    );

  const herald = await openHeraldSide(config, logger);
  const running: RunningBridge[] = [];
  const stopAll = async () => {
    for (const bridge of running.splice(0)) await bridge.close();
    await herald.close();
  };
  try {
    for (const bridge of chosen) {
      const context = { bridge, config, herald, trust, policy, signingKey, logger, forwarded: createDuplicateFilter() };
      running.push(await startBridge(context));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const metrics = createCommandMetrics("bridge");
  for (const bridge of running) for (const source of bridge.sources) metrics.add(source);
  metrics.add({ part: "bus", reconnects: herald.reconnects });
  const health = () => {
    const down = chosen.filter((_, index) => !running[index]?.healthy()).map((bridge) => bridge.name);
    return { ok: down.length === 0, bridges: chosen.length, ...(down.length > 0 ? { down } : {}) };
  };
  const port = options.http === false ? undefined : (options.http ?? config.bridge.httpPort);
  const ops =
    port === undefined
      ? undefined
      : await serveOps(opsRoutes(metrics, health), port, config.bridge.httpHost).catch(async (error) => {
          await stopAll();
          throw error;
        });
  const names = chosen.map(
    (bridge) =>
      `${bridge.name} (${bridge.kind}, ${bridge.direction ?? (bridge.kind === "amqp-foreign" ? "in" : "both")})`,
  );
  const http = ops === undefined ? "" : `, metrics http://${config.bridge.httpHost}:${ops.port}/metrics`;
  logger.info(`ready: ${names.join(", ")} on ${herald.description}${http}`);
  const signal = await untilStopped();
  await ops?.close();
  await stopAll();
  logger.info(`${signal}: stopped`);
}
