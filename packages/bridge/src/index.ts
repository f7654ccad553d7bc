/**
 * @herald/bridge: connects the Herald bus to other buses. `startBridges(options)` runs the
 * `[[bridges]]` of a configuration: Herald on RabbitMQ (`amqp`), a fedmsg ZeroMQ bus (`fedmsg`),
 * fedora-messaging on AMQP (`fedora-messaging`), and plain JSON from any AMQP broker
 * (`amqp-foreign`). The message mappings (from `@herald/sdk`) are re-exported for applications that convert by hand.
 */

// The mappings live in the SDK (PROTOCOL.md §6), where the store's datagrepper API uses them too.
export type { FedmsgMessage, FedoraMessagingMessage, FedoraMessagingMetadata } from "@herald/sdk";
export {
  envelopeFromFedmsg,
  envelopeFromFedoraMessaging,
  fedmsgFromEnvelope,
  fedoraMessagingFromEnvelope,
  heraldIdFor,
} from "@herald/sdk";
export {
  type BridgeConfig,
  type BridgesConfig,
  bridgeConfigSchema,
  bridgeConfigSection,
  bridgesConfigSection,
} from "./bridge-config.js";
export type { BridgesOptions, RunningBridges } from "./start-bridges.js";
export { startBridges } from "./start-bridges.js";
