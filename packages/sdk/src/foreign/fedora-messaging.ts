import { createEnvelope, type Envelope, type JsonObject } from "../envelope.js";
import { HeraldError } from "../errors.js";
import { heraldIdFor } from "./foreign-id.js";

/** An AMQP message in fedora-messaging's form: what its publisher sends and its consumers read. */
export interface FedoraMessagingMessage {
  /** The routing key: the topic. */
  routingKey: string;
  /** The message body (`data`), serialized as JSON with content type `application/json`. */
  body: unknown;
  /** The AMQP message-id property (fedora-messaging's `Message.id`, a UUID). */
  messageId: string | undefined;
  /** The AMQP headers table. */
  headers: Record<string, unknown>;
}

/** fedora-messaging's severities are Python logging levels. */
const severityLevels = { debug: 10, info: 20, warning: 30, error: 40 } as const;

/** What fedora-messaging consumers filter on, from the topic schema's metadata. */
export interface FedoraMessagingMetadata {
  usernames: readonly string[];
  packages: readonly string[];
  severity: keyof typeof severityLevels;
}

/** The header names fedora-messaging gives users and packages: one header each, value true. */
const userHeader = "fedora_messaging_user_";
const packageHeader = "fedora_messaging_rpm_";

/**
 * What a fedora-messaging message carries besides its body, kept on the Herald envelope as
 * string-valued extension attributes (PROTOCOL.md §2: a CloudEvents SDK keeps strings intact),
 * so a message that crosses Herald and comes back to fedora-messaging has them all again.
 */
const carried = {
  /** `fedora_messaging_severity` (10, 20, 30, 40), as digits. */
  severity: "fmseverity",
  /** The AMQP `priority` property and `priority` header, as digits. */
  priority: "fmpriority",
  /** Every `fedora_messaging_<object>_<id>` header (users, rpms, containers, modules, flatpaks): a JSON list of `<object>_<id>`. */
  objects: "fmobjects",
  /** `x-received-from`, the hops the message already made: JSON. */
  receivedFrom: "fmreceivedfrom",
  /** The message-id when it is not the envelope's id (not a UUID). */
  messageId: "fmid",
  /** `sent-at` exactly as it was written. */
  sentAt: "fmsentat",
  /** Any other header, JSON: `{"name": value}`. */
  headers: "fmheaders",
} as const;

const objectHeader = /^fedora_messaging_(user|rpm|container|module|flatpak)_(.+)$/;
/** Headers read into attributes of their own, or set by the bridge itself. */
const mappedHeaders = new Set([
  "fedora_messaging_schema",
  "fedora_messaging_severity",
  "sent-at",
  "priority",
  "x-received-from",
  "x-herald-bridge",
]);

/** This hop, appended to `x-received-from` on the way out, in RabbitMQ federation's shape. */
export interface HeraldHop {
  uri: string;
  exchange: string;
}

/**
 * The fedora-messaging form of an envelope: routing key = `type`, body = `data`, message-id =
 * `id` (or the original `fmid`), headers `fedora_messaging_schema` (what came from
 * fedora-messaging, the `dataschema`, or `base.message`), `sent-at` (as first written, else the
 * envelope's `time`), `fedora_messaging_severity` (as first sent, else the schema's), one
 * `fedora_messaging_<object>_<id>` header per user and package of the schema and per object the
 * message first carried, `priority`, and `x-received-from` with `hop` appended.
 */
export function fedoraMessagingFromEnvelope(
  envelope: Envelope,
  metadata: FedoraMessagingMetadata,
  hop?: HeraldHop,
): FedoraMessagingMessage {
  const text = (name: string): string | undefined =>
    typeof envelope[name] === "string" ? (envelope[name] as string) : undefined;
  const json = (name: string): unknown => {
    const value = text(name);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value);
    } catch {
      return undefined;
    }
  };
  const headers: Record<string, unknown> = {};
  const extra = json(carried.headers);
  if (typeof extra === "object" && extra !== null && !Array.isArray(extra)) Object.assign(headers, extra);
  const severity = Number(text(carried.severity));
  Object.assign(headers, {
    fedora_messaging_schema: text("fmschema") ?? envelope.dataschema ?? "base.message",
    "sent-at": text(carried.sentAt) ?? envelope.time.replace(/\.\d+Z$|Z$/, "+00:00"),
    fedora_messaging_severity: [10, 20, 30, 40].includes(severity) ? severity : severityLevels[metadata.severity],
  });
  for (const user of metadata.usernames) headers[`${userHeader}${user}`] = true;
  for (const name of metadata.packages) headers[`${packageHeader}${name}`] = true;
  const objects = json(carried.objects);
  if (Array.isArray(objects))
    for (const object of objects) if (typeof object === "string") headers[`fedora_messaging_${object}`] = true;
  const priority = text(carried.priority);
  if (priority !== undefined && /^\d{1,3}$/.test(priority)) headers.priority = Number(priority);
  const receivedFrom = json(carried.receivedFrom);
  const hops = Array.isArray(receivedFrom) ? [...receivedFrom] : [];
  if (hop !== undefined)
    hops.push({ uri: hop.uri, exchange: hop.exchange, redelivered: false, "cluster-name": "herald" });
  if (hops.length > 0) headers["x-received-from"] = hops;
  return { routingKey: envelope.type, body: envelope.data, messageId: text(carried.messageId) ?? envelope.id, headers };
}

/**
 * The envelope (unsigned: the bridge signs it) of a fedora-messaging message: `type` = routing key,
 * `data` = body, `id` = message-id (or one derived from it, the original kept as `fmid`), `time` =
 * `sent-at` (read as UTC when it has no offset, as fedora-messaging writes it); a `herald:`
 * schema name becomes `dataschema` again, another travels as the extension `fmschema`. Severity,
 * priority, the object headers, `x-received-from`, the exact `sent-at` and any other header travel
 * as string extension attributes (`fmseverity`, `fmpriority`, `fmobjects`, `fmreceivedfrom`,
 * `fmsentat`, `fmheaders`).
 * @throws HeraldError `E_ENVELOPE` (or `E_TOPIC`) saying what is wrong.
 */
export function envelopeFromFedoraMessaging(
  message: FedoraMessagingMessage & { priority?: number | undefined },
  source: string,
): Envelope {
  const { routingKey, body, headers } = message;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new HeraldError("E_ENVELOPE", `fedora-messaging message on ${routingKey}: the body is not a JSON object`);
  const written = typeof headers["sent-at"] === "string" ? headers["sent-at"] : undefined;
  const sentAt = written === undefined ? new Date() : new Date(asUtc(written));
  if (Number.isNaN(sentAt.getTime()))
    throw new HeraldError("E_ENVELOPE", `fedora-messaging message on ${routingKey}: sent-at is not a date`);
  const schema = headers.fedora_messaging_schema;
  const heraldSchema = typeof schema === "string" && schema.startsWith("herald:") ? schema : undefined;
  const envelope = createEnvelope({
    topic: routingKey,
    data: body as JsonObject,
    source,
    ...(message.messageId ? { id: heraldIdFor(message.messageId) } : {}),
    time: sentAt,
    ...(heraldSchema === undefined ? {} : { dataschema: heraldSchema }),
  });
  if (typeof schema === "string" && heraldSchema === undefined) envelope.fmschema = schema;
  if (message.messageId && envelope.id !== message.messageId) envelope[carried.messageId] = message.messageId;
  if (written !== undefined) envelope[carried.sentAt] = written;
  const severity = headers.fedora_messaging_severity;
  if (typeof severity === "number" && Number.isInteger(severity)) envelope[carried.severity] = String(severity);
  const priority = message.priority ?? headers.priority;
  if (typeof priority === "number" && Number.isInteger(priority) && priority >= 0)
    envelope[carried.priority] = String(priority);
  const objects: string[] = [];
  const others: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    const object = objectHeader.exec(name);
    if (object !== null) objects.push(`${object[1]}_${object[2]}`);
    else if (!mappedHeaders.has(name)) others[name] = value;
  }
  if (objects.length > 0) envelope[carried.objects] = JSON.stringify(objects);
  if (headers["x-received-from"] !== undefined)
    envelope[carried.receivedFrom] = JSON.stringify(headers["x-received-from"]);
  if (Object.keys(others).length > 0) envelope[carried.headers] = JSON.stringify(others);
  return envelope;
}

/** An ISO 8601 time without an offset is UTC in fedora-messaging (`datetime.utcnow().isoformat()`). */
function asUtc(time: string): string {
  return /(?:Z|[+-]\d\d:?\d\d)$/i.test(time.trim()) ? time : `${time.trim()}Z`;
}
