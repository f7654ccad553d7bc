import type { Envelope } from "@herald/sdk";
import { parseDataschema } from "@herald/sdk/internal";
import { catalogue } from "./catalogue.js";
import type { Severity, TopicSchema } from "./define-topic-schema.js";

/** How a message presents itself to people, from its schema's metadata. */
export interface Presentation {
  summary: string;
  usernames: string[];
  packages: string[];
  link: string | undefined;
  icon: string;
  severity: Severity;
}

const byDataschema = new Map(catalogue.map((topic) => [`${topic.name}/${topic.version}`, topic] as const));
const newestByName = new Map<string, TopicSchema>();
for (const topic of catalogue) newestByName.set(topic.name, topic);

/**
 * The summary line, people, packages, link, icon and severity of an envelope, from the metadata of
 * the schema it names (or, without `dataschema`, of its topic's newest schema). Never throws: a
 * message the catalogue does not know, or whose data surprises a metadata function, gets a
 * generic presentation.
 */
export function present(envelope: Envelope, schemaName?: string): Presentation {
  const parsed = envelope.dataschema === undefined ? undefined : parseDataschema(envelope.dataschema);
  const topic =
    (parsed && byDataschema.get(`${parsed.name}/${parsed.major}.${parsed.minor}`)) ??
    (parsed ? newestByName.get(parsed.name) : undefined) ??
    (schemaName === undefined ? undefined : newestByName.get(schemaName));
  if (topic !== undefined) {
    try {
      const data = envelope.data as never;
      return {
        summary: topic.summary(data),
        usernames: topic.usernames(data),
        packages: topic.packages(data),
        link: topic.link(data),
        icon: topic.icon,
        severity: topic.severity(data),
      };
    } catch {
      // Data that does not fit the metadata functions falls back to the generic form.
    }
  }
  const text = JSON.stringify(envelope.data);
  return {
    summary: text.length > 200 ? `${text.slice(0, 199)}…` : text,
    usernames: [],
    packages: [],
    link: undefined,
    icon: "message-square",
    severity: "info",
  };
}
