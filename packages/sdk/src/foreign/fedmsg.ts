import { createEnvelope, type Envelope, type JsonObject } from "../envelope.js";
import { HeraldError } from "../errors.js";
import { heraldIdFor } from "./foreign-id.js";

/**
 * A fedmsg message as fedmsg's ZeroMQ bus carries it (frame 1 the topic, frame 2 this as JSON).
 * fedmsg adds `signature`, `certificate` and `crypto` when it signs; Herald neither reads nor
 * writes those (PROTOCOL.md §6: signatures do not carry across).
 */
export interface FedmsgMessage {
  topic: string;
  msg: unknown;
  /** Seconds since the epoch (fedmsg writes an integer; a float is read too). */
  timestamp: number;
  /** `<year>-<uuid4>` from fedmsg; the Herald id from Herald. */
  msg_id: string;
  /** The sending process's counter. */
  i: number;
  /** The Unix user of the sending process. */
  username: string;
  /** Who caused the event, when the sender says (datagrepper's `agent`; fedmsg 1.x may add it). */
  agent?: string;
  [field: string]: unknown;
}

/**
 * The envelope of a fedmsg message (unsigned: the bridge signs it). `type` = `topic`, `data` =
 * `msg`, `time` = `timestamp`, `id` = the UUID in `msg_id` (or one derived from it); the original
 * `msg_id`, `username` and `agent` travel as the extensions `fedmsgid`, `fedmsguser` and
 * `fedmsgagent` so the message goes back to fedmsg unchanged.
 * @throws HeraldError `E_ENVELOPE` (or `E_TOPIC`) saying which field is wrong.
 */
export function envelopeFromFedmsg(value: unknown, source: string): Envelope {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new HeraldError("E_ENVELOPE", "fedmsg message is not a JSON object");
  const message = value as Partial<FedmsgMessage>;
  if (typeof message.topic !== "string") throw new HeraldError("E_ENVELOPE", "fedmsg message has no topic");
  if (typeof message.msg !== "object" || message.msg === null || Array.isArray(message.msg))
    throw new HeraldError("E_ENVELOPE", `fedmsg message on ${message.topic}: msg is not a JSON object`);
  if (typeof message.msg_id !== "string" || message.msg_id === "")
    throw new HeraldError("E_ENVELOPE", `fedmsg message on ${message.topic}: no msg_id`);
  if (typeof message.timestamp !== "number" || !Number.isFinite(message.timestamp))
    throw new HeraldError("E_ENVELOPE", `fedmsg message on ${message.topic}: timestamp is not a number`);
  const envelope = createEnvelope({
    topic: message.topic,
    data: message.msg as JsonObject,
    source,
    id: heraldIdFor(message.msg_id),
    time: new Date(Math.round(message.timestamp * 1000)),
  });
  envelope.fedmsgid = message.msg_id;
  if (typeof message.username === "string" && message.username !== "") envelope.fedmsguser = message.username;
  if (typeof message.agent === "string" && message.agent !== "") envelope.fedmsgagent = message.agent;
  return envelope;
}

/**
 * The fedmsg form of an envelope: `msg` = `data`, `timestamp` = `time` in seconds, `msg_id` = the
 * original fedmsg id when the message came from fedmsg, else `id`; `i` is the bridge's counter,
 * `username` the original sender's or the signing key's id, `agent` the original's when it had one.
 */
export function fedmsgFromEnvelope(envelope: Envelope, i: number): FedmsgMessage {
  const message: FedmsgMessage = {
    topic: envelope.type,
    msg: envelope.data,
    timestamp: Date.parse(envelope.time) / 1000,
    msg_id: typeof envelope.fedmsgid === "string" ? envelope.fedmsgid : envelope.id,
    i,
    username:
      typeof envelope.fedmsguser === "string"
        ? envelope.fedmsguser
        : (envelope.keyid ?? envelope.source.split("/")[1] ?? ""),
  };
  if (typeof envelope.fedmsgagent === "string") message.agent = envelope.fedmsgagent;
  return message;
}
