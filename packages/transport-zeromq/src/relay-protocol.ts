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

/**
 * A subscriber's request for what it missed, sent to a relay's inbound with an empty topic frame:
 * `[request id, "", {sender, topic, first, last}]`. The relay answers `[request id, header,
 * ...envelopes]`, the header being {@link FetchReply}.
 */
export interface FetchRequest {
  sender: string;
  topic: string;
  first: number;
  last: number;
}

/** The header of a relay's answer to a {@link FetchRequest}. */
export type FetchReply =
  | { ok: true; heldFrom: number; latest: number; sequences: number[] }
  | { ok: false; reason: "unknown-sender" | "bad-request"; detail: string };

/** Reads a fetch request; undefined when it is not one (answered `bad-request`). */
export function parseFetchRequest(body: Buffer): FetchRequest | undefined {
  if (body.length > 4096) return undefined;
  try {
    const value = JSON.parse(body.toString("utf8")) as Partial<FetchRequest>;
    const { sender, topic, first, last } = value;
    if (typeof sender !== "string" || typeof topic !== "string") return undefined;
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) return undefined;
    if ((first as number) < 1 || (last as number) < (first as number)) return undefined;
    return { sender, topic, first: first as number, last: last as number };
  } catch {
    return undefined;
  }
}
