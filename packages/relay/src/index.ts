/**
 * @herald/relay: the relay server. It takes envelopes from short-lived publishers (ZeroMQ ROUTER,
 * optionally HTTP), checks them against trust and policy, republishes them on a transport and
 * acknowledges each one.
 */
export type { HttpInboundOptions } from "./http-inbound.js";
export { type RelayConfig, type RelaySettings, relayConfigSchema, relayConfigSection } from "./relay-config.js";
export type { JournaledMessage, JournalRange, RelayJournal, RelayJournalOptions } from "./relay-journal.js";
export { openRelayJournal } from "./relay-journal.js";
export type { Relay, RelayOptions } from "./relay-server.js";
export { startRelay } from "./relay-server.js";
