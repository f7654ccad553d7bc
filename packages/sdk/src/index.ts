/**
 * @herald/sdk: the core of Herald. The envelope, Ed25519 signing and verification, trust and
 * policy, admission, the Bus API and the `Transport` interface, topics and patterns, sequences and
 * gaps, and configuration. It loads no native addon and imports no transport: ZeroMQ and AMQP are
 * `@herald/transport-zeromq` and `@herald/transport-amqp`.
 */
export type { AdmissionStats, ReceivedMessage, Rejection, RejectReason } from "./admission.js";
export type { Backoff, BackoffOptions } from "./backoff.js";
export { backoffDelay, createBackoff } from "./backoff.js";
export type { JsonLimits, JsonReading, JsonRefusal } from "./bounded-json.js";
export { defaultMaxMessageBytes, readBoundedJson } from "./bounded-json.js";
export type {
  Bus,
  BusOptions,
  ConsumeOptions,
  Consumption,
  EventMessage,
  EventSelection,
  MessageHandler,
  PublishOptions,
  SubscribeOptions,
  Subscription,
  TopicTypes,
} from "./bus.js";
export { createBus } from "./bus.js";
export { nonCanonicalAttributes } from "./canonical-form.js";
export type { BusFromConfigOptions } from "./config/bus-from-config.js";
export { busFromConfig } from "./config/bus-from-config.js";
export { defaultRelayPorts } from "./config/config-schema.js";
export type {
  ConfigSection,
  EnvironmentOverride,
  SectionContext,
  SettingsOf,
} from "./config/config-section.js";
export { defineConfigSection } from "./config/config-section.js";
export { envelopeFromConfig } from "./config/envelope-from-config.js";
export { policyFromConfig, signingKeyFromConfig, trustFromConfig } from "./config/from-config.js";
export type { HeraldConfig, LoadConfigOptions, LoadConfigWithSections } from "./config/load-config.js";
export { defaultConfigPaths, loadConfig } from "./config/load-config.js";
export type { ConfiguredTransport, TransportFromConfigOptions } from "./config/transport-from-config.js";
export { transportFromConfig } from "./config/transport-from-config.js";
export type { Envelope, EnvelopeInit, JsonObject } from "./envelope.js";
export { createEnvelope, isValidKeyId } from "./envelope.js";
export type { HeraldErrorCode } from "./errors.js";
export { HeraldError } from "./errors.js";
export type { FedmsgMessage } from "./foreign/fedmsg.js";
export { envelopeFromFedmsg, fedmsgFromEnvelope } from "./foreign/fedmsg.js";
export type { FedoraMessagingMessage, FedoraMessagingMetadata, HeraldHop } from "./foreign/fedora-messaging.js";
export { envelopeFromFedoraMessaging, fedoraMessagingFromEnvelope } from "./foreign/fedora-messaging.js";
export { heraldIdFor } from "./foreign/foreign-id.js";
export type { GeneratedKey, SigningKey } from "./keys.js";
export { generateSigningKey, loadSigningKey, parseSigningKey, signingKeyFromSeed } from "./keys.js";
export type { Logger } from "./logger.js";
export { silentLogger } from "./logger.js";
export type { Policy, PolicyOptions } from "./policy.js";
export { createPolicy } from "./policy.js";
export type { RecoveryOptions, RecoveryReport } from "./recovery/gap-recovery.js";
export type { DataCheck, DataProblem, DataSchema, SchemaLookup, SchemaRegistry } from "./schema-registry.js";
export type { Gap, HopStamp } from "./sequence.js";
export { signEnvelope, signingText } from "./signing.js";
export type { TopicParts } from "./topic.js";
export { assertValidTopic, buildTopic, isValidTopic, schemaNameOf } from "./topic.js";
export type { TopicPattern } from "./topic-pattern.js";
export {
  compileRoutingKeyPattern,
  compileTopicPattern,
  compileTopicPatterns,
  isTopicPattern,
  isValidTopicPattern,
  topicMatches,
  topicPatternRegExpSource,
} from "./topic-pattern.js";
export type { FrameHandler, Transport, TransportFrame, TransportSubscription } from "./transport.js";
export type { TrustEntryJson, TrustedKey, TrustFileJson, TrustStore } from "./trust.js";
export { emptyTrustStore, loadTrustFile, parseTrustFile } from "./trust.js";
export type { ReloadingTrustStore } from "./trust-reload.js";
export { watchTrustFile } from "./trust-reload.js";
export type { VerifyOutcome, VerifyResult } from "./verify.js";
export { verifyEnvelope, verifyEnvelopeAsync, verifyOutcomes } from "./verify.js";
