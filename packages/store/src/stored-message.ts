import { type Presenter, present } from "@herald/schemas";
import type { ReceivedMessage } from "@herald/sdk";
import { parseDataschema } from "@herald/sdk/internal";

/** One message as the store keeps it: the bytes as received and the columns it is searched by. */
export interface StoredMessage {
  id: string;
  /** Milliseconds since the epoch, from the envelope's `time`. */
  time: number;
  topic: string;
  /** The app: the schema name's first token, else the topic's token after prefix and environment. */
  category: string;
  source: string;
  keyid: string | null;
  outcome: string;
  /** The envelope exactly as received (UTF-8): what `/v2/id` answers, so it verifies forever. */
  raw: string;
  usernames: string[];
  packages: string[];
}

/**
 * The stored form of a received message. Usernames and packages come from the presentation
 * document of the schema it names (`presenter`: the built-in catalogue's by default, or every
 * source a store was given), so "things about alice" works for every topic it knows.
 */
export function toStoredMessage(message: ReceivedMessage, prefixTokens = 2, presenter?: Presenter): StoredMessage {
  const { envelope } = message;
  const parsed = envelope.dataschema === undefined ? undefined : parseDataschema(envelope.dataschema);
  // The app is the topic's own: a dataschema of another schema does not move the message.
  const named = parsed !== undefined && message.topic.endsWith(`.${parsed.name}`) ? parsed : undefined;
  const category = named?.name.split(".")[0] ?? message.topic.split(".")[prefixTokens + 1] ?? "unknown";
  const presentation = (presenter?.present ?? present)(envelope);
  return {
    id: envelope.id,
    time: Date.parse(envelope.time),
    topic: indexText(message.topic),
    category: indexText(category),
    source: indexText(envelope.source),
    keyid: envelope.keyid === undefined ? null : indexText(envelope.keyid),
    outcome: message.outcome,
    // The archive keeps the bytes as they came (JSON escapes a NUL, so the text holds none).
    raw: message.raw.toString("utf8"),
    usernames: [...new Set(presentation.usernames.map(indexText))],
    packages: [...new Set(presentation.packages.map(indexText))],
  };
}

/**
 * A value for an index column: PostgreSQL refuses NUL in text, and one message holding one would
 * fail its whole batch again and again; NUL becomes U+FFFD there (the raw message is untouched).
 */
function indexText(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}
