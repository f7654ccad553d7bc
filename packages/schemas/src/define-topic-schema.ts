import type { Static, TObject } from "@sinclair/typebox";
import type { PresentationDocument, Severity } from "./presentation/presentation-document.js";

export type { Severity };

/**
 * One version of one topic's schema, with what the rest of the product needs to present a
 * message without knowing the topic: a summary line, the people and packages it concerns, a link,
 * an icon, a severity. What fedmsg.meta and fedora-messaging's accessors did in code, kept as data
 * beside the schema.
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
  /**
   * How its messages present themselves to people (a summary template, usernames, packages, a
   * link, an icon, a severity): data, not code, emitted beside the JSON Schema files so any process
   * presents them. The newest minor's document presents its whole major.
   */
  readonly presentation: PresentationDocument;
  /** The presentation's icon (a Lucide icon), for the site and the monitor. */
  readonly icon: string;
}

/** What {@link defineTopicSchema} takes. */
export type TopicSchemaInit<S extends TObject> = Omit<TopicSchema<S>, "app" | "icon">;

/** Declares one version of a topic schema with its presentation. */
export function defineTopicSchema<S extends TObject>(init: TopicSchemaInit<S>): TopicSchema<S> {
  return { ...init, app: init.name.split(".")[0] as string, icon: init.presentation.icon ?? "message-square" };
}
