import { admissionSource, type MetricsSource } from "@herald/ops";
import { createSchemaRegistry } from "@herald/schemas";
import { busFromConfig, type HeraldConfig, type Logger, policyFromConfig, type TrustStore } from "@herald/sdk";
import { createMirrorAgent, type MirrorAgentOptions, triggerEvent } from "./mirror-agent.js";

/** What {@link startMirrorAgent} needs: the agent's own options, and the bus to listen to. */
export interface MirrorServiceOptions extends Omit<MirrorAgentOptions, "log"> {
  config: HeraldConfig;
  trust: TrustStore;
  logger: Logger;
  connect?: string[] | undefined;
}

/** A running mirror agent. */
export interface MirrorService {
  /** `tier1 mirror01 waits for … of fedora`, for a ready line. */
  readonly description: string;
  readonly sources: readonly MetricsSource[];
  /** Stops listening and waits for a sync under way. */
  close(): Promise<void>;
}

/**
 * A mirror agent on the bus: it listens for the message that means its upstream changed (tier 1:
 * the master; tier 2: its tier-1 mirror), syncs only the changed paths, and announces its own
 * sync, through `publish`.
 * @throws HeraldError `E_CONFIG`, `E_TRANSPORT` when the bus cannot be reached.
 */
export async function startMirrorAgent(options: MirrorServiceOptions): Promise<MirrorService> {
  const { config, trust, logger, connect, ...agentOptions } = options;
  const agent = createMirrorAgent({ ...agentOptions, log: (line) => logger.info(line) });
  const { bus } = await busFromConfig(config, {
    connect,
    logger,
    trust,
    policy: policyFromConfig(config),
    schemas: createSchemaRegistry(),
  });
  const head = `${config.prefix}.${config.environment}.`;
  const subscription = await bus.subscribe([`${head}mirror.#`]);
  const listening = (async () => {
    for await (const message of subscription)
      agent.handle({ event: message.topic.slice(head.length), data: message.envelope.data });
  })();
  return {
    description: `${options.role} ${options.name} waits for ${triggerEvent(options.role)} of ${options.tree}`,
    sources: [admissionSource("subscription", () => subscription.stats)],
    async close() {
      await subscription.close();
      await listening;
      await agent.idle();
      await bus.close();
    },
  };
}
