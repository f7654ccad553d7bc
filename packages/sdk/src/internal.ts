/**
 * @herald/sdk/internal: plumbing Herald's own packages share (the relay, the bridges, the
 * services): admission, duplicate filtering, sequences, HTTP listening, the Ed25519 engines, store
 * exports, refusal reports. Not for applications: it may change in any release.
 */
export type { Admission, AdmissionOptions, AdmissionResult, CheckedFrame } from "./admission.js";
export { createAdmission } from "./admission.js";
export { canonicalJson } from "./canonical-json.js";
export type { ConfigFile } from "./config/config-schema.js";
export { configFileSchema, defaultConfigFile, environmentOverrides } from "./config/config-schema.js";
export type { DuplicateFilter, DuplicateFilterOptions, WindowedDuplicateFilter } from "./duplicate-filter.js";
export { createDuplicateFilter } from "./duplicate-filter.js";
export type { Ed25519Engine } from "./ed25519.js";
export { defaultEd25519Engine, nodeCryptoEngine, tweetnaclEngine } from "./ed25519.js";
export { envelopeTypeOf, findMalformation } from "./envelope.js";
export { type HttpRoute, type ListeningHttp, listenHttp, originAllowed } from "./listen-http.js";
export { makeDirectory } from "./make-directory.js";
export type { OrderedPipeline } from "./ordered-pipeline.js";
export { createOrderedPipeline } from "./ordered-pipeline.js";
export type { GapRecovery } from "./recovery/gap-recovery.js";
export { createGapRecovery } from "./recovery/gap-recovery.js";
export type { ExportParams } from "./recovery/store-export.js";
export { readStoreExport, storeExportUrl } from "./recovery/store-export.js";
export type { RejectionReport } from "./rejection-report.js";
export { createRejectionReport } from "./rejection-report.js";
export { formatDataschema, parseDataschema } from "./schema-registry.js";
export type { GapTracker, HopStamp, SequenceCounter } from "./sequence.js";
export { createGapTracker, createSequenceCounter, parseHopStamp } from "./sequence.js";
