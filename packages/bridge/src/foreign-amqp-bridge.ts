import { type Envelope, HeraldError, type JsonObject } from "@herald/sdk";
import { openAmqpConnection, startAmqpConsumer } from "@herald/transport-amqp";
import { type AsyncMessage, type Consumer, ConsumerStatus } from "rabbitmq-client";
import { jsonBodyOf } from "./amqp-body.js";
import { type BridgeContext, bridgeSource, createBridgeDirection, type RunningBridge } from "./bridge-direction.js";
import { compileForeignRules, type ForeignRules, foreignEnvelope } from "./foreign-rules.js";

/**
 * `kind = "amqp-foreign"`: plain AMQP messages with JSON bodies from another organisation's broker.
 * A durable queue (`herald.bridge.<name>`) is bound to their exchange with each rule's `match`;
 * the first rule that matches a message's routing key gives its topic (`{key}` there stands for
 * the routing key, `{1}`, `{2}`… for what its wildcards matched, lower-cased), and the bridge signs
 * it with its own key. A message no rule turns
 * into a valid Herald message goes to `<queue>.dead`, with a line saying why.
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
  const rules = compileForeignRules(bridge);
  const toBus = createBridgeDirection(context, "in");
  const source = bridgeSource(bridge);
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
      async (message) => {
        toBus.received();
        let envelope: Envelope;
        try {
          envelope = toEnvelope(message, rules, source);
        } catch (cause) {
          toBus.refuse("unconvertible", `message ${message.routingKey} dead-lettered: ${(cause as Error).message}`);
          return ConsumerStatus.DROP;
        }
        await toBus.convertedToBus(envelope);
        return ConsumerStatus.ACK;
      },
      (error) => logger.warn(`${bridge.name}: ${error.message}`),
    );
  } catch (error) {
    await broker.close();
    throw error;
  }
  return {
    sources: [{ ...toBus.source, reconnects: broker.reconnects }],
    healthy: broker.connected,
    async close() {
      await consumer.close();
      toBus.close();
      await broker.close();
    },
  };
}

/** The unsigned envelope of a foreign message, by the first matching rule. */
function toEnvelope(message: AsyncMessage, rules: ForeignRules, source: string): Envelope {
  return foreignEnvelope(
    {
      key: message.routingKey,
      data: jsonBodyOf(message) as JsonObject,
      // AMQP's timestamp property is in seconds; without one, the message is dated on arrival.
      ...(typeof message.timestamp === "number" ? { time: new Date(message.timestamp * 1000) } : {}),
      ...(message.messageId ? { messageId: message.messageId } : {}),
    },
    rules,
    source,
  );
}
