import { type Bus, createBus } from "../bus.js";
import type { Logger } from "../logger.js";
import type { Policy } from "../policy.js";
import type { SchemaRegistry } from "../schema-registry.js";
import type { Transport } from "../transport.js";
import type { TrustStore } from "../trust.js";
import type { HeraldConfig } from "./load-config.js";
import { transportFromConfig } from "./transport-from-config.js";

/** What {@link busFromConfig} is asked for. */
export interface BusFromConfigOptions {
  /** ZeroMQ: the addresses to connect to (default: every configured endpoint). */
  connect?: readonly string[] | undefined;
  /** AMQP: the durable queue to read (default: an exclusive queue that goes away with the process). */
  queue?: string | undefined;
  /** Undefined: messages are delivered unverified (marked so), as `--insecure` does. */
  trust: TrustStore | undefined;
  policy: Policy;
  /**
   * Checks received data against its schema (`invalid-data` refusals), or `"none"`: a service
   * that only presents what the relay, which validates at the door, already let through.
   */
  schemas: SchemaRegistry | "none";
  logger?: Logger;
}

/**
 * The bus a receiving service reads, as the configuration means it: {@link transportFromConfig}
 * under a {@link createBus} with the service's trust, policy and schemas. Closing the bus closes
 * the transport.
 * @throws HeraldError `E_CONFIG`, `E_TRANSPORT` as {@link transportFromConfig} does.
 */
export async function busFromConfig(
  config: HeraldConfig,
  options: BusFromConfigOptions,
): Promise<{ bus: Bus; transport: Transport; description: string }> {
  const { transport, description } = await transportFromConfig(config, {
    direction: "receive",
    connect: options.connect,
    queue: options.queue,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const bus = createBus({
    transport,
    policy: options.policy,
    prefix: config.prefix,
    environment: config.environment,
    ...(options.trust === undefined ? {} : { trust: options.trust }),
    schemas: options.schemas,
  });
  return { bus, transport, description };
}
