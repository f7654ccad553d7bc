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
  /** The envelope exactly as received (UTF-8): what `/herald/id` answers, so it verifies forever. */
  raw: string;
  usernames: string[];
  packages: string[];
  /**
   * Who caused the event, datagrepper's `agent_name`: the `fedmsgagent` a fedmsg message brought,
   * else the first username its schema's presentation names (the actor, in Herald's documents).
   */
  agent: string | null;
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
  const { usernames, packages } = usersAndPackages(envelope, presentation);
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
    usernames: usernames.map(indexText),
    packages: packages.map(indexText),
    agent: agentOf(envelope, usernames),
  };
}

/**
 * The users and packages a message concerns: those its schema's presentation names, and those a
 * fedora-messaging message brought as `fedora_messaging_user_*` / `_rpm_*` headers (kept in
 * `fmobjects` by the bridge), whose schema Herald may not know.
 */
export function usersAndPackages(
  envelope: ReceivedMessage["envelope"],
  presentation: { usernames: readonly string[]; packages: readonly string[] },
): { usernames: string[]; packages: string[] } {
  const usernames = new Set(presentation.usernames);
  const packages = new Set(presentation.packages);
  if (typeof envelope.fmobjects === "string") {
    let objects: unknown;
    try {
      objects = JSON.parse(envelope.fmobjects);
    } catch {
      objects = [];
    }
    if (Array.isArray(objects))
      for (const object of objects.slice(0, 1000)) {
        if (typeof object !== "string") continue;
        if (object.startsWith("user_")) usernames.add(object.slice(5));
        else if (object.startsWith("rpm_")) packages.add(object.slice(4));
      }
  }
  return { usernames: [...usernames], packages: [...packages] };
}

/** Who caused the event (see {@link StoredMessage.agent}). */
export function agentOf(envelope: ReceivedMessage["envelope"], usernames: readonly string[]): string | null {
  const agent = typeof envelope.fedmsgagent === "string" ? envelope.fedmsgagent : usernames[0];
  return agent === undefined || agent === "" ? null : indexText(agent);
}

/**
 * A value for an index column: PostgreSQL refuses NUL in text, and one message holding one would
 * fail its whole batch again and again; NUL becomes U+FFFD there (the raw message is untouched).
 */
function indexText(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}
