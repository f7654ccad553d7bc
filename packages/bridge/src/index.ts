/**
 * @herald/bridge: connects the Herald bus to other buses. `startBridges(options)` runs the
 * `[[bridges]]` of a configuration: Herald on RabbitMQ (`amqp`), a fedmsg ZeroMQ bus (`fedmsg`),
 * fedora-messaging on AMQP (`fedora-messaging`), and plain JSON from any AMQP broker
 * (`amqp-foreign`). The message mappings are exported for applications that convert by hand.
 */

export {
  type BridgeConfig,
  type BridgesConfig,
  bridgeConfigSchema,
  bridgeConfigSection,
  bridgesConfigSection,
} from "./bridge-config.js";
export type { FedmsgMessage } from "./mappings/fedmsg.js";
export { envelopeFromFedmsg, fedmsgFromEnvelope } from "./mappings/fedmsg.js";
export type { FedoraMessagingMessage, FedoraMessagingMetadata } from "./mappings/fedora-messaging.js";
export { envelopeFromFedoraMessaging, fedoraMessagingFromEnvelope } from "./mappings/fedora-messaging.js";
export { heraldIdFor } from "./mappings/foreign-id.js";
export type { BridgesOptions, RunningBridges } from "./start-bridges.js";
export { startBridges } from "./start-bridges.js";
