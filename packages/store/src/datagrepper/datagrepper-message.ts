import type { Presentation, Presenter } from "@herald/schemas";
import { type Envelope, fedoraMessagingFromEnvelope, readBoundedJson } from "@herald/sdk";
import { agentOf, usersAndPackages } from "../stored-message.js";
import { humanize } from "./humanize.js";
import { PythonFloat } from "./python-json.js";

// The shapes of datanommer.models 1.x `Message.as_dict()` (datagrepper's `/raw`, `/id`) and
// `Message.as_fedora_message_dict()` (`/v2/search`, `/v2/id`), and datagrepper 1.1's
// `meta_argument` (util.py), built from a stored Herald envelope.

/** What the answers need besides the message: how to present it, and the clock for `date`. */
export interface DatagrepperContext {
  present: Presenter["present"];
  now: number;
  /** `source_version`: the store's own version. */
  version: string;
}

/** One stored envelope, read once for whichever shape is asked. */
interface Read {
  envelope: Envelope;
  presentation: Presentation;
  /** Sorted, as `as_dict` sorts them. */
  users: string[];
  packages: string[];
  /** As the store indexed it for `agent=`. */
  agent: string | null;
  headers: Record<string, unknown>;
  msgId: string;
}

function read(raw: string, context: DatagrepperContext): Read {
  // Stored envelopes were admitted, so this reads; an integer beyond 2^53 keeps its digits.
  const reading = readBoundedJson(raw, { unsafeIntegers: "string" });
  const envelope = (reading.ok ? reading.value : JSON.parse(raw)) as Envelope;
  const presentation = context.present(envelope);
  // The headers fedora-messaging's consumers (and so datanommer) get from the Herald bridge.
  const { headers } = fedoraMessagingFromEnvelope(envelope, presentation);
  const text = (name: string) => (typeof envelope[name] === "string" ? (envelope[name] as string) : undefined);
  // The id the message had where it came from: fedmsg's `2026-<uuid>`, a foreign message-id, else Herald's.
  const msgId = text("fedmsgid") ?? text("fmid") ?? envelope.id;
  const { usernames, packages } = usersAndPackages(envelope, presentation);
  const agent = agentOf(envelope, usernames);
  return { envelope, presentation, users: [...usernames].sort(), packages: packages.sort(), headers, msgId, agent };
}

/** `Message.as_dict()`: the fedmsg-era shape of `/raw` and `/id`. */
export function fedmsgDict(raw: string, meta: readonly string[], context: DatagrepperContext): Record<string, unknown> {
  const { envelope, presentation, users, packages, headers, msgId, agent } = read(raw, context);
  return withMeta(
    {
      // datanommer stores i = 0 for every fedora-messaging message.
      i: 0,
      msg_id: msgId,
      topic: envelope.type,
      // `time.mktime(timestamp.timetuple())`: whole seconds, as a float.
      timestamp: new PythonFloat(Math.floor(Date.parse(envelope.time) / 1000)),
      certificate: null,
      signature: null,
      agent_name: agent,
      username: agent,
      crypto: null,
      msg: envelope.data,
      headers,
      source_name: "herald",
      source_version: context.version,
      users,
      packages,
    },
    meta,
    { envelope, users, packages },
    presentation,
    context,
  );
}

/** `Message.as_fedora_message_dict()`: the shape of `/v2/search` and `/v2/id`, what `fedora_messaging.message.load_message` reads. */
export function fedoraMessageDict(
  raw: string,
  meta: readonly string[],
  context: DatagrepperContext,
): Record<string, unknown> {
  const { envelope, presentation, users, packages, headers, msgId } = read(raw, context);
  return withMeta(
    {
      body: envelope.data,
      headers,
      id: msgId,
      priority: typeof headers.priority === "number" ? headers.priority : 0,
      queue: null,
      topic: envelope.type,
    },
    meta,
    { envelope, users, packages },
    presentation,
    context,
  );
}

/** The fedmsg names `meta_argument` still takes, and what they became. */
const legacyMeta: Record<string, string> = { subtitle: "summary", link: "url", icon: "app_icon" };

/** `meta_argument` (util.py): the asked-for human-readable values under `meta`. */
function withMeta(
  dict: Record<string, unknown>,
  meta: readonly string[],
  { envelope, users, packages }: Pick<Read, "envelope" | "users" | "packages">,
  presentation: Presentation,
  context: DatagrepperContext,
): Record<string, unknown> {
  if (meta.length === 0) return dict;
  const values: Record<string, unknown> = {
    summary: presentation.summary,
    text: presentation.summary,
    url: presentation.link ?? null,
    // fedora-messaging's are URLs; Herald's icons are names, and its messages have no avatar.
    app_icon: null,
    agent_avatar: null,
    usernames: users,
    packages,
    containers: [],
    modules: [],
    flatpaks: [],
    date: humanize(Date.parse(envelope.time), context.now),
  };
  const metas: Record<string, unknown> = {};
  for (const name of meta) {
    const current = legacyMeta[name];
    if (current !== undefined) {
      metas[name] = values[current];
      const warnings = (metas.WARNING ?? []) as string[];
      warnings.push(`Meta ${name} is deprecated and has been replaced by ${current}`);
      metas.WARNING = warnings;
    } else metas[name] = values[name];
  }
  return { ...dict, meta: metas };
}
