/**
 * @herald/transport-zeromq: the brokerless transport (ZeroMQ PUB/SUB) for `createBus`, the relay
 * client short-lived publishers send through, and the spool that holds messages while no relay
 * answers.
 */

/** Re-exported for code written against earlier versions: the limit lives in `@herald/sdk`. */
export { defaultMaxMessageBytes } from "@herald/sdk";
export type { Deliverer, DeliveryReport, IntegrationMessage } from "./deliverer.js";
export { createDeliverer } from "./deliverer.js";
export { preparePost } from "./prepare-post.js";
export type { RelayAck, RelayClient, RelayClientOptions, RelayErrorCode } from "./relay-client.js";
export { createRelayClient } from "./relay-client.js";
export type { FetchReply, FetchRequest, RelayReply } from "./relay-protocol.js";
export { parseFetchRequest, parseRelayReply } from "./relay-protocol.js";
export type { Spool, SpoolFlushResult } from "./spool.js";
export { createSpool, flushSpool } from "./spool.js";
export type { SubscriberCount } from "./subscriber-count.js";
export { countSubscribers } from "./subscriber-count.js";
export { translateZeroMqError } from "./zeromq-errors.js";
export type { ZeroMqTransport, ZeroMqTransportOptions } from "./zeromq-transport.js";
export { createZeroMqTransport } from "./zeromq-transport.js";
