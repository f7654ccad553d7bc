/**
 * @herald/transport-amqp: the broker transport (AMQP 0-9-1, RabbitMQ) for `createBus`, and the
 * connection and consumer helpers the bridges share with it.
 */
export type { AmqpConnection } from "./amqp-connection.js";
export { openAmqpConnection } from "./amqp-connection.js";
export type { AmqpConsumerOptions } from "./amqp-consumer.js";
export { amqpError, brokerName, startAmqpConsumer } from "./amqp-consumer.js";
export type { AmqpTransport, AmqpTransportOptions } from "./amqp-transport.js";
export { createAmqpTransport } from "./amqp-transport.js";
export type { ConfirmPublisher } from "./confirm-publisher.js";
export { createConfirmPublisher } from "./confirm-publisher.js";
