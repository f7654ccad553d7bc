import { HeraldError } from "@herald/sdk";
import type { AsyncMessage, Connection, Consumer, ConsumerStatus } from "rabbitmq-client";

/** Options of {@link startAmqpConsumer}. */
export interface AmqpConsumerOptions {
  queue: string;
  /**
   * A durable quorum queue that redelivers a failed message up to this many times, then moves it
   * to `<queue>.dead` (declared here). Without it: an exclusive queue that goes away with the consumer.
   */
  deliveryLimit?: number;
  /** The exchange the queue is bound to, and the routing-key patterns it is bound with. */
  exchange: string;
  bindings: readonly string[];
  /** Declares the exchange (a durable topic exchange); off for an exchange someone else owns. */
  declareExchange: boolean;
  prefetch: number;
}

/** Says where, without the password, for error messages. */
export function brokerName(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//");
}

/** The one place where `rabbitmq-client` errors become Herald errors. */
export function amqpError(url: string, action: string, cause: unknown): HeraldError {
  if (HeraldError.isInstance(cause)) return cause as HeraldError;
  return new HeraldError("E_TRANSPORT", `${brokerName(url)}: ${action}: ${(cause as Error)?.message ?? cause}`, {
    cause,
  });
}

/**
 * Declares a queue, binds it, and consumes from it, for the AMQP transport and the bridges alike.
 * The message goes back to the broker when `handler` throws (and counts toward the delivery limit).
 * Resolves once the broker accepted the setup.
 * @throws HeraldError `E_TRANSPORT` when it did not (a queue declared before with other
 *   arguments, an exchange that does not exist): said once, rather than retried forever.
 */
export async function startAmqpConsumer(
  connection: Connection,
  url: string,
  options: AmqpConsumerOptions,
  handler: (message: AsyncMessage) => Promise<ConsumerStatus | undefined>,
  onError: (error: HeraldError) => void,
): Promise<Consumer> {
  const { queue, exchange } = options;
  const dead = `${queue}.dead`;
  if (options.deliveryLimit !== undefined) {
    // The dead-letter queue exists before anything is dead-lettered into it.
    const channel = await connection.acquire();
    try {
      await channel.queueDeclare({ queue: dead, durable: true });
    } finally {
      await channel.close();
    }
  }
  const consumer = connection.createConsumer(
    {
      queue,
      queueOptions:
        options.deliveryLimit === undefined
          ? { exclusive: true, autoDelete: true }
          : {
              durable: true,
              arguments: {
                "x-queue-type": "quorum",
                "x-delivery-limit": options.deliveryLimit,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": dead,
              },
            },
      qos: { prefetchCount: options.prefetch },
      ...(options.declareExchange ? { exchanges: [{ exchange, type: "topic", durable: true }] } : {}),
      queueBindings: options.bindings.map((pattern) => ({ exchange, queue, routingKey: pattern })),
      requeue: true,
    },
    handler,
  );
  let settle: ((error: unknown) => void) | undefined;
  const setup = new Promise<unknown>((resolve) => {
    settle = resolve;
  });
  consumer.once("ready", () => settle?.(undefined));
  // A consumer must always have an error listener: it retries its setup and reports each failure.
  consumer.on("error", (cause) => {
    if (settle !== undefined) settle(cause);
    else onError(amqpError(url, `consumer of ${queue}`, cause));
  });
  const failure = await setup;
  settle = undefined;
  if (failure !== undefined) {
    await consumer.close().catch(() => {});
    throw amqpError(url, `cannot consume from ${queue}`, failure);
  }
  return consumer;
}
