import type { TransportSubscription } from "@herald/sdk";
import { createAmqpTransport } from "@herald/transport-amqp";
import {
  type BridgeContext,
  type BridgeDirection,
  createBridgeDirection,
  type RunningBridge,
} from "./bridge-direction.js";
import { createRelayRetry } from "./bus-forwarder.js";

/**
 * `kind = "amqp"`: the ZeroMQ bus and Herald on RabbitMQ, either way or both. Envelopes cross
 * unchanged (their signatures still verify); each is verified before it crosses. From RabbitMQ the
 * bridge reads a durable queue (`herald.bridge.<name>`) and acknowledges a message only once the
 * bus has it; while no relay answers, the message waits unacknowledged and is retried with backoff,
 * so an outage neither loses it nor uses up its delivery limit.
 */
export async function startAmqpBridge(context: BridgeContext): Promise<RunningBridge> {
  const { bridge, herald, config, logger } = context;
  const topics = bridge.topics ?? ["#"];
  const direction = bridge.direction ?? "both";
  const broker = await createAmqpTransport({
    url: bridge.url ?? config.amqp.url,
    exchange: bridge.exchange ?? config.amqp.exchange,
    queue: bridge.queue ?? `herald.bridge.${bridge.name}`,
    prefetch: config.amqp.prefetch,
    deliveryLimit: config.amqp.deliveryLimit,
    onError: (error) => logger.warn(`${bridge.name}: ${error.message}`),
  });
  const directions: BridgeDirection[] = [];
  const subscriptions: TransportSubscription[] = [];
  const retry = createRelayRetry(context);
  try {
    if (direction !== "out") {
      const toBus = createBridgeDirection(context, "in");
      directions.push(toBus);
      subscriptions.push(
        await broker.subscribe(
          topics,
          toBus.verified((message) => retry.send(() => herald.send(message.topic, message.raw))),
        ),
      );
    }
    if (direction !== "in") {
      const fromBus = createBridgeDirection(context, "out");
      directions.push(fromBus);
      const forward = fromBus.verified((message) => broker.send(message.topic, message.raw));
      subscriptions.push(await herald.subscribe(bridge.name, topics, forward));
    }
  } catch (error) {
    retry.close();
    await broker.close();
    throw error;
  }
  return {
    sources: directions.map((one) => ({ ...one.source, reconnects: () => broker.reconnects })),
    healthy: () => broker.connected,
    async close() {
      // Messages waiting for a relay go back to the queue (E_CLOSED) before the consumers stop.
      retry.close();
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      for (const one of directions) one.close();
      await broker.close();
    },
  };
}
