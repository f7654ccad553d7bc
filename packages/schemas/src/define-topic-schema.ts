import type { Static, TObject } from "@sinclair/typebox";

/** How much a message matters to a person, for notifications and the live monitor. */
export type Severity = "debug" | "info" | "warning" | "error";

/**
 * One version of one topic's schema, with what the rest of the product needs to present a
 * message without knowing the topic: a summary line, the people and packages it concerns, a link,
 * an icon, a severity. What fedmsg.meta and fedora-messaging's accessors did, kept beside the schema.
 */
export interface TopicSchema<S extends TObject = TObject> {
  /** The schema name, the topic without prefix and environment: `git.receive`. */
  readonly name: string;
  /** `<major>.<minor>`; a released version is never edited. */
  readonly version: `${number}.${number}`;
  /** The emitting app: the first token of the name. */
  readonly app: string;
  /** What the message means, for the documentation. */
  readonly description: string;
  /** The JSON Schema (TypeBox) of `data`. */
  readonly schema: S;
  /** Realistic messages, each valid against the schema. */
  readonly examples: readonly Static<S>[];
  /** The integration that emits it, for the documentation. */
  readonly emittedBy: string;
  /** An icon name (a Lucide icon) for the site and the monitor. */
  readonly icon: string;
  /** One human line: "alice pushed 3 commits to herald (main)". */
  summary(data: Static<S>): string;
  /** The usernames the message concerns. */
  usernames(data: Static<S>): string[];
  /** The packages or projects the message concerns. */
  packages(data: Static<S>): string[];
  /** Where a person can see more, if anywhere. */
  link(data: Static<S>): string | undefined;
  severity(data: Static<S>): Severity;
}

/** What {@link defineTopicSchema} takes: the metadata functions other than `summary` are optional. */
export type TopicSchemaInit<S extends TObject> = Omit<
  TopicSchema<S>,
  "app" | "usernames" | "packages" | "link" | "severity"
> &
  Partial<Pick<TopicSchema<S>, "usernames" | "packages" | "link" | "severity">>;

/**
 * Declares one version of a topic schema with its metadata, filling in the defaults: no users,
 * no packages, no link, severity `info`.
 */
export function defineTopicSchema<S extends TObject>(init: TopicSchemaInit<S>): TopicSchema<S> {
  return {
    usernames: () => [],
    packages: () => [],
    link: () => undefined,
    severity: () => "info",
    ...init,
    app: init.name.split(".")[0] as string,
  };
}
