import type { RejectReason } from "@herald/sdk";

/**
 * The acknowledged inbound of a relay, over ZeroMQ DEALER → ROUTER:
 * request frames `[request id, topic, envelope]` (the PUB framing of PROTOCOL.md §5 behind an id),
 * reply frames `[request id, reply JSON]`. The same reply JSON answers the HTTP inbound.
 */
export type RelayReply =
  | { ok: true; id: string; duplicate?: true }
  | { ok: false; reason: RejectReason | "bad-request"; detail: string };

/** Parses a reply frame; undefined when it is not one. */
export function parseRelayReply(text: string): RelayReply | undefined {
  try {
    const value = JSON.parse(text) as Partial<RelayReply>;
    if (value.ok === true && typeof value.id === "string") return value as RelayReply;
    if (value.ok === false && typeof value.reason === "string") return value as RelayReply;
  } catch {
    // Not JSON: not a reply.
  }
  return undefined;
}
