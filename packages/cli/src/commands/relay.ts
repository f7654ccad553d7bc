import { resolve } from "node:path";
import { admissionSource, createCommandMetrics, opsRoutes, transportUp } from "@herald/ops";
import { startRelay } from "@herald/relay";
import { transportFromConfig } from "@herald/sdk";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";
import { signingKeyFrom } from "./sign.js";

/** Flags of `herald relay`. */
export interface RelayCommandOptions {
  inbound?: string[];
  outbound?: string[];
  http?: number | false;
  trust?: string;
  insecure?: boolean;
  key?: string;
  keyid?: string;
  spool?: boolean | string;
  config?: string;
}

/** `herald relay`: runs until SIGINT or SIGTERM, then flushes and exits 0. */
export async function runRelay(options: RelayCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { trust, policy } = receivingTrust(options, config, io, "forward unverified");
  const signingKey = signingKeyFrom(options, io);
  const logger = stderrLogger("relay", io);
  const inbound = options.inbound ?? config.relay.inbound;
  const outboundAddresses = options.outbound ?? config.relay.outbound;
  const httpPort = options.http === false ? undefined : (options.http ?? config.relay.httpPort);
  const { transport: outbound, description: to } = await transportFromConfig(config, {
    direction: "publish",
    bind: outboundAddresses,
    logger,
  });
  // /healthz and /metrics on the HTTP inbound's port; the relay reports once it exists.
  const metrics = createCommandMetrics("relay");
  const routes = opsRoutes(metrics, () => ({ ok: transportUp(outbound), outbound: outbound.name }));
  const relay = await startRelay({
    inbound,
    outbound,
    ...(trust === undefined ? {} : { trust }),
    policy,
    ...(signingKey === undefined ? {} : { signingKey }),
    ...(httpPort === undefined ? {} : { http: { port: httpPort, host: config.relay.httpHost, routes } }),
    logger,
    ...(options.spool === undefined || options.spool === false
      ? {}
      : { spool: options.spool === true ? config.spoolDir : resolve(io.cwd, options.spool) }),
  }).catch(async (error: unknown) => {
    await outbound.close();
    throw error;
  });
  metrics.add(admissionSource("relay", () => relay.stats, outbound));
  const http =
    relay.httpPort === undefined ? "" : `, http http://${config.relay.httpHost}:${relay.httpPort}/v1/messages`;
  logger.info(`ready: inbound ${relay.endpoints.join(" ")}, outbound ${to}${http}`);
  const signal = await untilStopped();
  await relay.close();
  const { accepted, rejected } = relay.stats;
  const refused = Object.values(rejected).reduce((sum, count) => sum + count, 0);
  logger.info(`${signal}: stopped after relaying ${accepted} message(s) and refusing ${refused}`);
}
