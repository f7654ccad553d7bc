/**
 * @herald/sdk: the core of Herald. The envelope, Ed25519 signing and verification, trust and
 * policy, admission, the Bus API and the `Transport` interface, topics and patterns, sequences and
 * gaps, and configuration. It loads no native addon and imports no transport: ZeroMQ and AMQP are
 * `@herald/transport-zeromq` and `@herald/transport-amqp`.
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
export type { Backoff, BackoffOptions } from "./backoff.js";
export { backoffDelay, createBackoff } from "./backoff.js";
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
export type { ConfigFile } from "./config/config-schema.js";
export {
  configFileSchema,
  defaultConfigFile,
  defaultRelayPorts,
  environmentOverrides,
} from "./config/config-schema.js";
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
export type { Policy, PolicyOptions } from "./policy.js";
export { createPolicy } from "./policy.js";
export type { GapRecovery, RecoveryOptions, RecoveryReport } from "./recovery/gap-recovery.js";
export { createGapRecovery } from "./recovery/gap-recovery.js";
export type { ExportParams } from "./recovery/store-export.js";
export { readStoreExport, storeExportUrl } from "./recovery/store-export.js";
export type { RejectionReport } from "./rejection-report.js";
export { createRejectionReport } from "./rejection-report.js";
export type { DataCheck, DataSchema, SchemaLookup, SchemaRegistry } from "./schema-registry.js";
export { formatDataschema, parseDataschema } from "./schema-registry.js";
export type { Gap, GapTracker, HopStamp, SequenceCounter } from "./sequence.js";
export { createGapTracker, createSequenceCounter, parseHopStamp } from "./sequence.js";
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
export type { VerifyOutcome, VerifyResult } from "./verify.js";
export { verifyEnvelope, verifyEnvelopeAsync, verifyOutcomes } from "./verify.js";
