/**
 * @herald/sdk: the envelope, Ed25519 signing and verification, trust and policy, the Bus API and
 * its transports, the relay and its client, and configuration.
 */
export type {
  Admission,
  AdmissionOptions,
  AdmissionResult,
  AdmissionStats,
  ReceivedMessage,
  Rejection,
  RejectReason,
} from "./admission.js";
export { createAdmission } from "./admission.js";
export type {
  Bus,
  BusOptions,
  ConsumeOptions,
  Consumption,
  MessageHandler,
  PublishOptions,
  SubscribeOptions,
  Subscription,
  TopicTypes,
} from "./bus.js";
export { createBus } from "./bus.js";
export { canonicalJson } from "./canonical-json.js";
export type { BridgeConfig, ConfigFile } from "./config/config-schema.js";
export {
  bridgeConfigSchema,
  configFileSchema,
  defaultConfigFile,
  environmentOverrides,
} from "./config/config-schema.js";
export type { HubConsumerConfig, IrcChannelConfig } from "./config/consumer-config-schema.js";
export { policyFromConfig, signingKeyFromConfig, trustFromConfig } from "./config/from-config.js";
export type { ConsumerLimits, HeraldConfig, HubConsumer, LoadConfigOptions } from "./config/load-config.js";
export { defaultConfigPaths, loadConfig } from "./config/load-config.js";
export type { DuplicateFilter, DuplicateFilterOptions } from "./duplicate-filter.js";
export { createDuplicateFilter } from "./duplicate-filter.js";
export type { Ed25519Engine } from "./ed25519.js";
export { defaultEd25519Engine, nodeCryptoEngine, tweetnaclEngine } from "./ed25519.js";
export type { Envelope, EnvelopeInit, JsonObject } from "./envelope.js";
export { createEnvelope, envelopeTypeOf, findMalformation, isValidKeyId } from "./envelope.js";
export type { HeraldErrorCode } from "./errors.js";
export { HeraldError } from "./errors.js";
export type { GeneratedKey, SigningKey } from "./keys.js";
export { generateSigningKey, loadSigningKey, parseSigningKey, signingKeyFromSeed } from "./keys.js";
export { type HttpRoute, type ListeningHttp, listenHttp } from "./listen-http.js";
export type { Logger } from "./logger.js";
export { silentLogger } from "./logger.js";
export type { FedmsgMessage } from "./mappings/fedmsg.js";
export { envelopeFromFedmsg, fedmsgFromEnvelope } from "./mappings/fedmsg.js";
export type { FedoraMessagingMessage, FedoraMessagingMetadata } from "./mappings/fedora-messaging.js";
export { envelopeFromFedoraMessaging, fedoraMessagingFromEnvelope } from "./mappings/fedora-messaging.js";
export { heraldIdFor } from "./mappings/foreign-id.js";
export type { Policy, PolicyOptions } from "./policy.js";
export { createPolicy } from "./policy.js";
export type { GapRecovery, RecoveryOptions, RecoveryReport } from "./recovery/gap-recovery.js";
export { createGapRecovery } from "./recovery/gap-recovery.js";
export type { ExportParams } from "./recovery/store-export.js";
export { readStoreExport, storeExportUrl } from "./recovery/store-export.js";
export type { HttpInboundOptions } from "./relay/http-inbound.js";
export { preparePost } from "./relay/prepare-post.js";
export type { RelayAck, RelayClient, RelayClientOptions } from "./relay/relay-client.js";
export { createRelayClient } from "./relay/relay-client.js";
export type { RelayReply } from "./relay/relay-protocol.js";
export { defaultRelayPorts } from "./relay/relay-protocol.js";
export type { Relay, RelayOptions } from "./relay/relay-server.js";
export { startRelay } from "./relay/relay-server.js";
export type { Spool, SpoolFlushResult } from "./relay/spool.js";
export { createSpool, flushSpool } from "./relay/spool.js";
export type { DataCheck, DataSchema, SchemaLookup, SchemaRegistry } from "./schema-registry.js";
export { formatDataschema, parseDataschema } from "./schema-registry.js";
export type { Gap, GapTracker, HopStamp, SequenceCounter } from "./sequence.js";
export { createGapTracker, createSequenceCounter, parseHopStamp } from "./sequence.js";
export { signEnvelope, signingText } from "./signing.js";
export type { TopicParts } from "./topic.js";
export { assertValidTopic, buildTopic, isValidTopic, schemaNameOf } from "./topic.js";
export type { TopicPattern } from "./topic-pattern.js";
export { compileTopicPattern, compileTopicPatterns, isValidTopicPattern, topicMatches } from "./topic-pattern.js";
export type { FrameHandler, Transport, TransportFrame, TransportSubscription } from "./transport.js";
export type { AmqpTransport, AmqpTransportOptions } from "./transports/amqp.js";
export { createAmqpTransport } from "./transports/amqp.js";
export type { AmqpConnection } from "./transports/amqp-connection.js";
export { openAmqpConnection } from "./transports/amqp-connection.js";
export type { AmqpConsumerOptions } from "./transports/amqp-consumer.js";
export { amqpError, brokerName, startAmqpConsumer } from "./transports/amqp-consumer.js";
export type { ZeroMqTransport, ZeroMqTransportOptions } from "./transports/zeromq.js";
export { createZeroMqTransport } from "./transports/zeromq.js";
export type { TrustEntryJson, TrustedKey, TrustFileJson, TrustStore } from "./trust.js";
export { emptyTrustStore, loadTrustFile, parseTrustFile } from "./trust.js";
export type { VerifyOutcome, VerifyResult } from "./verify.js";
export { verifyEnvelope, verifyEnvelopeAsync, verifyOutcomes } from "./verify.js";
