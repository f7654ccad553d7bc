import {
  type FrameHandler,
  type HeraldConfig,
  HeraldError,
  type Logger,
  type Transport,
  type TransportSubscription,
} from "@herald/sdk";
import { type AmqpTransport, brokerName, createAmqpTransport } from "@herald/transport-amqp";
import { createRelayClient, createZeroMqTransport } from "@herald/transport-zeromq";

/**
 * The Herald bus as a bridge sees it: frames to read, and a way to put an envelope on the bus that
 * resolves only once it is there (a relay's acknowledgement, or the broker's confirm).
 */
export interface HeraldSide {
  /** `zeromq (relays …, endpoints …)` or `amqp (exchange …)`, for the ready line. */
  readonly description: string;
  subscribe(name: string, patterns: readonly string[], handler: FrameHandler): Promise<TransportSubscription>;
  /** Puts one envelope (its exact bytes) on the bus. */
  send(topic: string, body: Buffer): Promise<void>;
  /** Reconnections to the broker, when the bus is RabbitMQ. */
  reconnects(): number;
  close(): Promise<void>;
}

/**
 * Opens the configured bus: on ZeroMQ the bridge subscribes to the configured endpoints and
 * publishes through the relays (so its messages get the relay's acknowledgement, checks and
 * republication like any publisher's); on RabbitMQ it uses the exchange, with one durable queue
 * per bridge (`herald.bridge.<name>.bus`).
 */
export async function openHeraldSide(config: HeraldConfig, logger: Logger): Promise<HeraldSide> {
  if (config.transport === "amqp") return openAmqpBus(config, logger);
  const connect = Object.values(config.endpoints).flat();
  if (config.relays.length === 0)
    throw new HeraldError("E_CONFIG", "the bridge needs relays to publish to: set relays");
  const relay = createRelayClient({ relays: config.relays, timeoutMs: config.relayTimeoutMs });
  const transports: Transport[] = [];
  return {
    description: `zeromq (relays ${config.relays.join(" ")}, endpoints ${connect.join(" ")})`,
    async subscribe(_name, patterns, handler) {
      if (connect.length === 0) throw new HeraldError("E_CONFIG", "the bridge needs endpoints to subscribe to");
      const transport = await createZeroMqTransport({ connect, onError: (error) => logger.error(error.message) });
      transports.push(transport);
      return transport.subscribe(patterns, handler);
    },
    async send(_topic, body) {
      await relay.send(body);
    },
    reconnects: () => 0,
    async close() {
      await Promise.all(transports.map((transport) => transport.close()));
      await relay.close();
    },
  };
}

async function openAmqpBus(config: HeraldConfig, logger: Logger): Promise<HeraldSide> {
  const { url, exchange, prefetch, deliveryLimit } = config.amqp;
  const onError = (error: HeraldError) => logger.warn(error.message);
  const publisher = await createAmqpTransport({ url, exchange, onError });
  const consumers: AmqpTransport[] = [publisher];
  return {
    description: `amqp (exchange ${exchange} at ${brokerName(url)})`,
    async subscribe(name, patterns, handler) {
      const queue = `herald.bridge.${name}.bus`;
      const transport = await createAmqpTransport({ url, exchange, queue, prefetch, deliveryLimit, onError });
      consumers.push(transport);
      return transport.subscribe(patterns, handler);
    },
    send: (topic, body) => publisher.send(topic, body),
    reconnects: () => consumers.reduce((sum, transport) => sum + transport.reconnects, 0),
    async close() {
      await Promise.all(consumers.map((transport) => transport.close()));
    },
  };
}
