import { present } from "@herald/schemas";
import {
  envelopeFromFedoraMessaging,
  fedoraMessagingFromEnvelope,
  HeraldError,
  schemaNameOf,
  type TransportSubscription,
} from "@herald/sdk";
import {
  type ConfirmPublisher,
  createConfirmPublisher,
  openAmqpConnection,
  startAmqpConsumer,
} from "@herald/transport-amqp";
import { type Consumer, ConsumerStatus } from "rabbitmq-client";
import { bridgeHeader, consumerStatusOf, jsonBodyOf } from "./amqp-body.js";
import {
  type BridgeContext,
  type BridgeDirection,
  bridgeSource,
  createBridgeDirection,
  type RunningBridge,
} from "./bridge-direction.js";
import { type BusForwarder, createBusForwarder } from "./bus-forwarder.js";

/**
 * `kind = "fedora-messaging"`: fedora-messaging's AMQP format (PROTOCOL.md §6) on its broker,
 * exchange `amq.topic` by default. In: a durable queue (`herald.bridge.<name>`), each message
 * converted, signed by the bridge and acknowledged once the bus has it (while no relay answers it
 * waits unacknowledged, retried with backoff); what cannot be converted, or the relay refuses,
 * goes to `<queue>.dead` at once. Out: every verified Herald message published with confirms, its users and packages (from the
 * topic schema's metadata) as fedora-messaging headers.
 */
export async function startFedoraMessagingBridge(context: BridgeContext): Promise<RunningBridge> {
  const { bridge, herald, config, logger } = context;
  const topics = bridge.topics ?? ["#"];
  const direction = bridge.direction ?? "both";
  const exchange = bridge.exchange ?? "amq.topic";
  const broker = await openAmqpConnection(bridge.url ?? config.amqp.url, `herald-bridge-${bridge.name}`, (error) =>
    logger.warn(error.message),
  );
  const directions: BridgeDirection[] = [];
  let consumer: Consumer | undefined;
  let forwarder: BusForwarder | undefined;
  let publisher: ConfirmPublisher | undefined;
  let subscription: TransportSubscription | undefined;
  try {
    if (direction !== "out") {
      const toBus = createBusForwarder(context);
      forwarder = toBus;
      directions.push(toBus.direction);
      const source = bridgeSource(bridge);
      consumer = await startAmqpConsumer(
        broker.connection,
        broker.url,
        {
          queue: bridge.queue ?? `herald.bridge.${bridge.name}`,
          deliveryLimit: config.amqp.deliveryLimit,
          exchange,
          bindings: topics,
          declareExchange: false,
          prefetch: config.amqp.prefetch,
        },
        async (message) => {
          const headers = message.headers ?? {};
          if (headers[bridgeHeader] === bridge.name) {
            // What this bridge itself sent out, back from the exchange: dropped, and counted so.
            toBus.direction.received();
            toBus.direction.looped();
            return ConsumerStatus.ACK;
          }
          const convert = () =>
            envelopeFromFedoraMessaging(
              {
                routingKey: message.routingKey,
                body: jsonBodyOf(message),
                messageId: message.messageId,
                headers,
                priority: message.priority,
              },
              source,
            );
          const describe = `fedora-messaging message ${message.routingKey} (${message.messageId || "no id"})`;
          return consumerStatusOf(await toBus.forward(describe, convert));
        },
        (error) => logger.warn(`${bridge.name}: ${error.message}`),
      );
    }
    if (direction !== "in") {
      const fromBus = createBridgeDirection(context, "out");
      // Where the message was: appended to x-received-from as RabbitMQ federation does for its hops.
      const hop = { uri: `herald://${bridgeSource(bridge).slice(1)}`, exchange };
      directions.push(fromBus);
      const out = createConfirmPublisher(broker.connection);
      publisher = out;
      const forward = fromBus.verified(async ({ topic, envelope }) => {
        const metadata = present(envelope, schemaNameOf(topic, config.prefix, config.environment));
        const message = fedoraMessagingFromEnvelope(envelope, metadata, hop);
        const priority = message.headers.priority;
        await out.send(
          {
            exchange,
            routingKey: message.routingKey,
            contentType: "application/json",
            contentEncoding: "utf-8",
            durable: true,
            messageId: message.messageId ?? envelope.id,
            ...(typeof priority === "number" ? { priority } : {}),
            headers: { ...message.headers, [bridgeHeader]: bridge.name },
          },
          Buffer.from(JSON.stringify(message.body), "utf8"),
        );
      });
      subscription = await herald.subscribe(bridge.name, topics, forward);
    }
  } catch (error) {
    await forwarder?.close();
    await consumer?.close();
    await publisher?.close();
    await broker.close();
    throw HeraldError.isInstance(error)
      ? error
      : new HeraldError("E_TRANSPORT", `bridge ${bridge.name}: ${(error as Error).message}`);
  }
  return {
    sources: directions.map((one) => ({ ...one.source, reconnects: broker.reconnects })),
    healthy: broker.connected,
    async close() {
      await subscription?.close();
      // Messages waiting for a relay go back to the queue before the consumer stops.
      await forwarder?.close();
      await consumer?.close();
      await publisher?.close();
      for (const one of directions) if (one !== forwarder?.direction) one.close();
      await broker.close();
    },
  };
}
