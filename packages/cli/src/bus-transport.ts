import {
  type Bus,
  brokerName,
  createAmqpTransport,
  createBus,
  createZeroMqTransport,
  type HeraldConfig,
  type Logger,
  type Policy,
  type Transport,
  type TrustStore,
} from "@herald/sdk";
import { CliError } from "./cli-error.js";

/**
 * The transport a receiving command uses: ZeroMQ connected to `--connect` addresses (or every
 * configured endpoint), or with `transport = "amqp"` the configured RabbitMQ — an exclusive queue
 * that goes away with the command, or a durable one for a long-running consumer (`queue`).
 */
export async function receivingTransport(
  config: HeraldConfig,
  options: { connect?: string[]; queue?: string },
  logger: Logger,
): Promise<{ transport: Transport; from: string }> {
  if (config.transport === "amqp") {
    const { url, exchange, prefetch, deliveryLimit } = config.amqp;
    const transport = await createAmqpTransport({
      url,
      exchange,
      prefetch,
      deliveryLimit,
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      onError: (error) => logger.warn(error.message),
    });
    const queue = options.queue === undefined ? "an exclusive queue" : `queue ${options.queue}`;
    return { transport, from: `exchange ${exchange} (${queue}) at ${brokerName(url)}` };
  }
  const connect = options.connect ?? Object.values(config.endpoints).flat();
  if (connect.length === 0)
    throw new CliError("E_USAGE", "nothing to connect to: pass --connect ADDRESS or set endpoints");
  const transport = await createZeroMqTransport({ connect, onError: (error) => logger.error(error.message) });
  return { transport, from: connect.join(" ") };
}

/** The transport a relay republishes on: ZeroMQ bound to the outbound addresses, or RabbitMQ. */
export async function publishingTransport(
  config: HeraldConfig,
  bind: string[],
  logger: Logger,
): Promise<{ transport: Transport; to: string }> {
  if (config.transport === "amqp") {
    const { url, exchange } = config.amqp;
    const transport = await createAmqpTransport({ url, exchange, onError: (error) => logger.warn(error.message) });
    return { transport, to: `exchange ${exchange} at ${brokerName(url)}` };
  }
  const transport = await createZeroMqTransport({ bind });
  return { transport, to: transport.endpoints.join(" ") };
}

/**
 * The bus a receiving command reads: {@link receivingTransport} under a {@link createBus} with the
 * command's trust and policy (from `receivingTrust`).
 */
export async function receivingBus(
  config: HeraldConfig,
  options: {
    connect?: string[] | undefined;
    queue?: string | undefined;
    trust?: TrustStore | undefined;
    policy: Policy;
  },
  logger: Logger,
): Promise<{ bus: Bus; transport: Transport; from: string }> {
  const { transport, from } = await receivingTransport(
    config,
    {
      ...(options.connect === undefined ? {} : { connect: options.connect }),
      ...(options.queue === undefined ? {} : { queue: options.queue }),
    },
    logger,
  );
  const bus = createBus({
    transport,
    policy: options.policy,
    ...(options.trust === undefined ? {} : { trust: options.trust }),
  });
  return { bus, transport, from };
}
