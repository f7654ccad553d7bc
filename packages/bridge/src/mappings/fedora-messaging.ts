import { createEnvelope, type Envelope, HeraldError, type JsonObject } from "@herald/sdk";
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
 * The fedora-messaging form of an envelope: routing key = `type`, body = `data`, message-id =
 * `id`, headers `fedora_messaging_schema` (what came from fedora-messaging, the `dataschema`, or `base.message`), `sent-at`,
 * `fedora_messaging_severity` and one `fedora_messaging_user_<name>` / `fedora_messaging_rpm_<name>`
 * header per user and package.
 */
export function fedoraMessagingFromEnvelope(
  envelope: Envelope,
  metadata: FedoraMessagingMetadata,
): FedoraMessagingMessage {
  const headers: Record<string, unknown> = {
    fedora_messaging_schema:
      typeof envelope.fmschema === "string" ? envelope.fmschema : (envelope.dataschema ?? "base.message"),
    "sent-at": envelope.time.replace(/Z$/, "+00:00"),
    fedora_messaging_severity: severityLevels[metadata.severity],
  };
  for (const user of metadata.usernames) headers[`${userHeader}${user}`] = true;
  for (const name of metadata.packages) headers[`${packageHeader}${name}`] = true;
  return { routingKey: envelope.type, body: envelope.data, messageId: envelope.id, headers };
}

/**
 * The envelope (unsigned: the bridge signs it) of a fedora-messaging message: `type` = routing key,
 * `data` = body, `id` = message-id (or one derived from it), `time` = `sent-at`; a `herald:`
 * schema name becomes `dataschema` again, another travels as the extension `fmschema`.
 * @throws HeraldError `E_ENVELOPE` (or `E_TOPIC`) saying what is wrong.
 */
export function envelopeFromFedoraMessaging(message: FedoraMessagingMessage, source: string): Envelope {
  const { routingKey, body, headers } = message;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new HeraldError("E_ENVELOPE", `fedora-messaging message on ${routingKey}: the body is not a JSON object`);
  const sentAt = typeof headers["sent-at"] === "string" ? new Date(headers["sent-at"]) : new Date();
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
  return envelope;
}
