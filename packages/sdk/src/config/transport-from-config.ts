import { HeraldError } from "../errors.js";
import type { Logger } from "../logger.js";
import { silentLogger } from "../logger.js";
import type { Transport } from "../transport.js";
import type { HeraldConfig } from "./load-config.js";

/** What {@link transportFromConfig} is asked for. */
export interface TransportFromConfigOptions {
  /**
   * `receive`: subscribe (ZeroMQ connects to `connect`, or every configured endpoint; AMQP reads an
   * exclusive queue, or the durable `queue`). `publish`: republish, as a relay does (ZeroMQ binds
   * `bind`; AMQP publishes with confirms).
   */
  direction: "receive" | "publish";
  connect?: readonly string[] | undefined;
  bind?: readonly string[] | undefined;
  queue?: string | undefined;
  logger?: Logger;
}

/** A transport opened from the configuration, and where it reads or writes, for a ready line. */
export interface ConfiguredTransport {
  transport: Transport;
  /** `tcp://127.0.0.1:9940`, or `exchange herald (an exclusive queue) at 127.0.0.1:5672`. */
  description: string;
}

// The transports are optional peer dependencies: an AMQP-only service installs neither ZeroMQ nor
// its native addon. Their shape is declared here rather than imported, so the core does not depend
// on them at build time either.
interface ZeroMqModule {
  createZeroMqTransport(options: {
    connect?: readonly string[];
    bind?: readonly string[];
    maxMessageBytes?: number;
    relays?: readonly string[];
    onError?: (error: Error) => void;
  }): Promise<Transport & { endpoints: readonly string[] }>;
}
interface AmqpModule {
  createAmqpTransport(options: {
    url: string;
    urls?: readonly string[];
    exchange: string;
    prefetch?: number;
    deliveryLimit?: number;
    queue?: string;
    onError?: (error: Error) => void;
  }): Promise<Transport>;
  brokerName(url: string): string;
}

async function importTransport<T>(name: string, setting: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((cause as Error).message).includes(name))
      throw new HeraldError("E_CONFIG", `transport = "${setting}" needs ${name}: npm install ${name}`, { cause });
    throw cause;
  }
}

/**
 * Opens the transport the configuration means (`transport = "zeromq"`, the default, or `"amqp"`),
 * loading its package only then.
 * @throws HeraldError `E_CONFIG` when there is nothing to connect to or the transport's package is
 *   not installed; `E_TRANSPORT` when it cannot connect or bind.
 */
export async function transportFromConfig(
  config: HeraldConfig,
  options: TransportFromConfigOptions,
): Promise<ConfiguredTransport> {
  const logger = options.logger ?? silentLogger;
  if (config.transport === "amqp") {
    const amqp = await importTransport<AmqpModule>("@herald/transport-amqp", "amqp");
    const { url, urls, exchange, prefetch, deliveryLimit } = config.amqp;
    const onError = (error: Error) => logger.warn(error.message);
    if (options.direction === "publish") {
      const transport = await amqp.createAmqpTransport({ url, urls, exchange, onError });
      return { transport, description: `exchange ${exchange} at ${urls.map(amqp.brokerName).join(" ")}` };
    }
    const queue = options.queue;
    const transport = await amqp.createAmqpTransport({
      url,
      urls,
      exchange,
      prefetch,
      deliveryLimit,
      ...(queue === undefined ? {} : { queue }),
      onError,
    });
    const reads = queue === undefined ? "an exclusive queue" : `queue ${queue}`;
    return { transport, description: `exchange ${exchange} (${reads}) at ${urls.map(amqp.brokerName).join(" ")}` };
  }
  const zeromq = await importTransport<ZeroMqModule>("@herald/transport-zeromq", "zeromq");
  if (options.direction === "publish") {
    const transport = await zeromq.createZeroMqTransport({
      bind: options.bind ?? [],
      maxMessageBytes: config.maxMessageBytes,
    });
    return { transport, description: transport.endpoints.join(" ") };
  }
  const connect = options.connect ?? Object.values(config.endpoints).flat();
  if (connect.length === 0)
    throw new HeraldError("E_CONFIG", "nothing to connect to: pass --connect ADDRESS or set endpoints");
  const transport = await zeromq.createZeroMqTransport({
    connect,
    // A gap in what a relay numbered is fetched from that relay's journal, by its exact numbers.
    relays: config.relays,
    maxMessageBytes: config.maxMessageBytes,
    onError: (error) => logger.error(error.message),
  });
  return { transport, description: connect.join(" ") };
}
