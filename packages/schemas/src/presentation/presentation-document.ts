/** How much a message matters to a person, for notifications and the live monitor. */
export type Severity = "debug" | "info" | "warning" | "error";

/** A severity that depends on the data: the first rule whose field equals its value wins. */
export interface SeverityRule {
  default: Severity;
  when: { pointer: string; equals: string | number | boolean; severity: Severity }[];
}

/**
 * How the messages of one schema name and major present themselves to people: beside the schema's
 * versions (`<name>/<major>.presentation.json`, or `<name>/presentation.json` for every major), not
 * inside them, since presentation is not part of the data contract and released schema files
 * never change. Every value is data, not code, so any process (and a browser) can present a
 * message of a schema it fetched or installed. Templates and filters: docs/schemas.md.
 */
export interface PresentationDocument {
  /** The summary line: `{{/commit/username}} pushed to {{/commit/repo}}`. */
  summary: string;
  /** JSON Pointers of the usernames the message concerns (`*` takes every element of a list). */
  usernames?: string[];
  /** JSON Pointers of the packages or projects it concerns. */
  packages?: string[];
  /** Where a person sees more, a template; shown only when it is an `http(s)` URL. */
  link?: string;
  /** A Lucide icon name (`git-commit`). */
  icon?: string;
  severity?: Severity | SeverityRule;
}

/** What a message looks like to a person. */
export interface Presentation {
  summary: string;
  usernames: string[];
  packages: string[];
  link: string | undefined;
  icon: string;
  severity: Severity;
}
