import { randomBytes } from "node:crypto";
import type { Transport, TransportSubscription } from "@herald/sdk";
import { HeraldError } from "@herald/sdk";
import type { Consumer } from "rabbitmq-client";
import { openAmqpConnection } from "./amqp-connection.js";
import { amqpError, startAmqpConsumer } from "./amqp-consumer.js";
import { createConfirmPublisher } from "./confirm-publisher.js";

/** Options of {@link createAmqpTransport}. */
export interface AmqpTransportOptions {
  /** `amqp://user:password@host:5672/vhost`, or `amqps://…` for TLS. */
  url: string;
  /**
   * Every node of a RabbitMQ cluster (the credentials, vhost and TLS of `url` apply to all): when
   * the connection is lost, the next node is tried. Quorum queues keep what was confirmed while a
   * majority of nodes lives.
   */
  urls?: readonly string[];
  /** The topic exchange messages are published to (declared durable). Default `herald`. */
  exchange?: string;
  /**
   * A named durable queue for a long-running consumer: it survives restarts of the consumer and
   * of the broker, and keeps what arrives while the consumer is away. Without one, each
   * subscription gets an exclusive queue that disappears with it (what `herald tail` wants).
   */
  queue?: string;
  /** Unacknowledged messages the broker may send ahead (default 256). */
  prefetch?: number;
  /**
   * How many times a named queue delivers a message whose handler failed before it goes to the
   * dead-letter queue `<queue>.dead` (default 5).
   */
  deliveryLimit?: number;
  /** Told about connection losses and reconnections (the client reconnects by itself, with backoff). */
  onError?: (error: HeraldError) => void;
}

/** The AMQP transport: its connection, for tests and operations. */
export interface AmqpTransport extends Transport {
  /** How many times the connection was re-established. */
  readonly reconnects: number;
  /**
   * True while the connection to the broker is up and the broker confirms what is sent: false from
   * a publish it refused or did not confirm (a queue that rejects, a cluster without a majority)
   * until one is confirmed again, and while a publish has waited over 10 s for its confirm.
   */
  readonly connected: boolean;
}

/** A publish waiting longer than this for its confirm makes the transport unhealthy. */
const confirmWaitMs = 10_000;

const contentType = "application/cloudevents+json";

/** The envelope's id, for the AMQP message-id property (a body that is not an envelope has none). */
function envelopeIdOf(body: Buffer): string | undefined {
  try {
    const id = (JSON.parse(body.toString("utf8")) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The broker transport for fleets (AMQP 0-9-1, RabbitMQ, through `rabbitmq-client`): the same Bus
 * API over a topic exchange — routing key = topic, body = the envelope unchanged, content type
 * `application/cloudevents+json`, message-id = the envelope's id, persistent. `send` resolves only
 * once the broker confirmed the message. A subscription acknowledges a message once its frame
 * handler settled, so nothing is lost between the broker and the Bus; a handler that throws gets
 * the message again, up to `deliveryLimit` times on a named queue (a quorum queue), then it goes
 * to `<queue>.dead`. The client reconnects with backoff and declares its exchange, queues and
 * bindings again each time.
 * @throws HeraldError `E_TRANSPORT` when the broker cannot be reached at start.
 */
export async function createAmqpTransport(options: AmqpTransportOptions): Promise<AmqpTransport> {
  const exchange = options.exchange ?? "herald";
  const broker = await openAmqpConnection(options.url, "herald", (error) => options.onError?.(error), options.urls);
  const { connection } = broker;
  const exchanges = [{ exchange, type: "topic", durable: true }];
  const publisher = createConfirmPublisher(connection, exchanges);
  const consumers = new Set<Consumer>();
  let closed = false;
  // Whether the broker confirms: the last publish's outcome, and when each waiting one was sent.
  let refusing = false;
  const waiting = new Map<number, number>();
  let sends = 0;
  const confirming = () => {
    if (refusing) return false;
    const now = Date.now();
    for (const since of waiting.values()) if (now - since > confirmWaitMs) return false;
    return true;
  };

  return {
    name: "amqp",
    acknowledges: true,
    get reconnects() {
      return broker.reconnects();
    },
    get connected() {
      return broker.connected() && confirming();
    },
    async send(topic, body, id) {
      if (closed) throw new HeraldError("E_CLOSED", "the AMQP transport is closed");
      const messageId = id ?? envelopeIdOf(body);
      const send = sends++;
      waiting.set(send, Date.now());
      try {
        await publisher.send(
          {
            exchange,
            routingKey: topic,
            contentType,
            durable: true,
            ...(messageId === undefined ? {} : { messageId }),
          },
          body,
        );
        refusing = false;
      } catch (cause) {
        refusing = true;
        throw amqpError(options.url, `the broker did not confirm a message on ${topic}`, cause);
      } finally {
        waiting.delete(send);
      }
    },
    async subscribe(patterns, handler): Promise<TransportSubscription> {
      if (closed) throw new HeraldError("E_CLOSED", "the AMQP transport is closed");
      const named = options.queue;
      const queue = named ?? `herald.subscriber.${randomBytes(6).toString("hex")}`;
      const consumer = await startAmqpConsumer(
        connection,
        options.url,
        {
          queue,
          ...(named === undefined ? {} : { deliveryLimit: options.deliveryLimit ?? 5 }),
          exchange,
          bindings: patterns,
          declareExchange: true,
          prefetch: options.prefetch ?? 256,
        },
        async (message) => {
          const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(JSON.stringify(message.body));
          await handler({ topic: message.routingKey, body });
          return undefined;
        },
        (error) => options.onError?.(error),
      );
      consumers.add(consumer);
      return {
        async close() {
          consumers.delete(consumer);
          await consumer.close();
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((consumer) => consumer.close()));
      await publisher.close();
      await connection.close();
    },
  };
}
