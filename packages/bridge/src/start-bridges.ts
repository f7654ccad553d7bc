import type { MetricsSource } from "@herald/ops";
import type { HeraldConfig, Logger, Policy, SigningKey, TrustStore } from "@herald/sdk";
import { HeraldError } from "@herald/sdk";
import { createDuplicateFilter } from "@herald/sdk/internal";
import type { BridgeConfig, BridgesConfig } from "./bridge-config.js";
import type { RunningBridge } from "./bridge-direction.js";
import { openHeraldSide } from "./herald-side.js";
import { bridgeDirection, bridgeSigns, startBridge } from "./start-bridge.js";

/** What {@link startBridges} needs: the configuration, which bridges, and how to check and sign. */
export interface BridgesOptions {
  config: HeraldConfig & BridgesConfig;
  /** The `[[bridges]]` entries to run (default: all of the configuration's). */
  bridges?: readonly BridgeConfig[];
  /** Trust for what crosses onto or off the bus; undefined forwards unverified messages. */
  trust: TrustStore | undefined;
  policy: Policy;
  /** Signs what the bridges convert from other formats; required when one of them does. */
  signingKey: SigningKey | undefined;
  logger: Logger;
}

/** Running bridges, for a service's ready line, `/metrics` and `/healthz`. */
export interface RunningBridges {
  /** `fleet (amqp, both)` for each bridge. */
  readonly names: readonly string[];
  /** The bus the bridges are attached to, for the ready line. */
  readonly description: string;
  /** The metrics of each bridge's directions and of the bus. */
  readonly sources: readonly MetricsSource[];
  /** `{ok, bridges, down?}`: down names the bridges that lost their connection. */
  health(): { ok: boolean; [detail: string]: unknown };
  /** Stops every bridge, then closes the bus. */
  close(): Promise<void>;
}

/**
 * Starts the configured bridges on one connection to the Herald bus. Each message is acknowledged
 * on its way only once the other side has it.
 * @throws HeraldError `E_CONFIG` when no bridge is configured or a converting bridge has no key;
 *   `E_TRANSPORT` when a broker or socket cannot be reached.
 */
export async function startBridges(options: BridgesOptions): Promise<RunningBridges> {
  const { config, trust, policy, signingKey, logger } = options;
  const chosen = options.bridges ?? config.bridges;
  if (chosen.length === 0)
    throw new HeraldError("E_CONFIG", "no bridges configured: add [[bridges]] to herald.toml (see docs/bridges.md)");
  const signer = chosen.find(bridgeSigns);
  if (signer !== undefined && signingKey === undefined)
    throw new HeraldError(
      "E_CONFIG",
      `bridge ${signer.name} signs what it converts: set key_file and key_id (or --key, --keyid)`,
    );
  const herald = await openHeraldSide(config, logger);
  const running: RunningBridge[] = [];
  const close = async () => {
    for (const bridge of running.splice(0)) await bridge.close();
    await herald.close();
  };
  try {
    for (const bridge of chosen) {
      const context = { bridge, config, herald, trust, policy, signingKey, logger, forwarded: createDuplicateFilter() };
      running.push(await startBridge(context));
    }
  } catch (error) {
    await close();
    throw error;
  }
  const sources: MetricsSource[] = running.flatMap((bridge) => bridge.sources);
  sources.push({ part: "bus", reconnects: herald.reconnects });
  return {
    names: chosen.map((bridge) => `${bridge.name} (${bridge.kind}, ${bridgeDirection(bridge)})`),
    description: herald.description,
    sources,
    health() {
      const down = chosen.filter((_, index) => !running[index]?.healthy()).map((bridge) => bridge.name);
      return { ok: down.length === 0, bridges: chosen.length, ...(down.length > 0 ? { down } : {}) };
    },
    close,
  };
}
