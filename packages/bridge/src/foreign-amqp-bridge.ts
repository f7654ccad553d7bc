import { HeraldError, type JsonObject } from "@herald/sdk";
import { openAmqpConnection, startAmqpConsumer } from "@herald/transport-amqp";
import type { AsyncMessage, Consumer } from "rabbitmq-client";
import { consumerStatusOf, jsonBodyOf } from "./amqp-body.js";
import type { BridgeContext, RunningBridge } from "./bridge-direction.js";
import { createBusForwarder } from "./bus-forwarder.js";
import { type ForeignMessage, foreignConverter } from "./foreign-rules.js";

/**
 * `kind = "amqp-foreign"`: plain AMQP messages with JSON bodies from another organisation's broker.
 * A durable queue (`herald.bridge.<name>`) is bound to their exchange with each rule's `match`;
 * the first rule that matches a message's routing key gives its topic (`{key}` there stands for
 * the routing key, `{1}`, `{2}`… for what its wildcards matched, lower-cased), and the bridge signs
 * it with its own key. A message is acknowledged once a relay has it; while no relay answers it
 * waits, unacknowledged, retried with backoff. A message no rule turns into a valid Herald message,
 * or that the relay refuses, goes to `<queue>.dead` at once, with a line saying why.
 */
export async function startForeignAmqpBridge(context: BridgeContext): Promise<RunningBridge> {
  const { bridge, config, logger } = context;
  if (bridge.direction === "out" || bridge.direction === "both")
    throw new HeraldError("E_CONFIG", `bridge ${bridge.name}: amqp-foreign bridges carry messages in only`);
  if (bridge.exchange === undefined || !bridge.rules?.length)
    throw new HeraldError(
      "E_CONFIG",
      `bridge ${bridge.name}: amqp-foreign needs exchange and at least one [[bridges.rules]]`,
    );
  const convert = foreignConverter(bridge);
  const forwarder = createBusForwarder(context);
  const broker = await openAmqpConnection(bridge.url ?? config.amqp.url, `herald-bridge-${bridge.name}`, (error) =>
    logger.warn(error.message),
  );
  let consumer: Consumer;
  try {
    consumer = await startAmqpConsumer(
      broker.connection,
      broker.url,
      {
        queue: bridge.queue ?? `herald.bridge.${bridge.name}`,
        deliveryLimit: config.amqp.deliveryLimit,
        exchange: bridge.exchange,
        bindings: bridge.rules.map((rule) => rule.match),
        declareExchange: false,
        prefetch: config.amqp.prefetch,
      },
      async (message) =>
        consumerStatusOf(
          await forwarder.forward(`message ${message.routingKey} (${message.messageId || "no id"})`, () =>
            convert(foreignMessageOf(message)),
          ),
        ),
      (error) => logger.warn(`${bridge.name}: ${error.message}`),
    );
  } catch (error) {
    await forwarder.close();
    await broker.close();
    throw error;
  }
  return {
    sources: [{ ...forwarder.direction.source, reconnects: broker.reconnects }],
    healthy: broker.connected,
    async close() {
      // Messages waiting for a relay go back to the queue before the consumer stops.
      await forwarder.close();
      await consumer.close();
      await broker.close();
    },
  };
}

/** What the rules and the envelope need from an AMQP 0-9-1 message. */
function foreignMessageOf(message: AsyncMessage): ForeignMessage {
  return {
    key: message.routingKey,
    data: jsonBodyOf(message) as JsonObject,
    // AMQP's timestamp property is in seconds; without one, the message is dated on arrival.
    ...(typeof message.timestamp === "number" ? { time: new Date(message.timestamp * 1000) } : {}),
    ...(message.messageId ? { messageId: message.messageId } : {}),
  };
}
