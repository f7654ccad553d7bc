import type { Presentation, PresentationDocument, Severity } from "./presentation-document.js";
import { type CompiledTemplate, compilePointer, compileTemplate, readBounded } from "./render-template.js";

const severities: readonly Severity[] = ["debug", "info", "warning", "error"];

/** A presentation document compiled once, for {@link presentData}. */
export interface CompiledPresentation {
  readonly document: PresentationDocument;
  readonly summary: CompiledTemplate;
  readonly link: CompiledTemplate | undefined;
  readonly usernames: readonly PointerReader[];
  readonly packages: readonly PointerReader[];
  readonly severity: (data: unknown) => Severity;
}

/**
 * Compiles a presentation document (its templates parsed, its pointers and severity checked).
 * @throws Error naming what is wrong, for a document a schema author got wrong: found when the
 *   document is loaded, never per message.
 */
export function compilePresentation(document: PresentationDocument): CompiledPresentation {
  if (typeof document.summary !== "string") throw new Error("presentation: summary must be a template string");
  for (const key of ["usernames", "packages"] as const)
    for (const pointer of document[key] ?? [])
      if (typeof pointer !== "string" || !pointer.startsWith("/"))
        throw new Error(`presentation: ${key}: ${JSON.stringify(pointer)} is not a JSON Pointer`);
  const severity = document.severity;
  const checkSeverity = (value: unknown) => {
    if (!severities.includes(value as Severity))
      throw new Error(`presentation: severity ${JSON.stringify(value)} is not one of ${severities.join(", ")}`);
  };
  if (typeof severity === "string") checkSeverity(severity);
  else if (severity !== undefined) {
    checkSeverity(severity.default);
    for (const rule of severity.when) checkSeverity(rule.severity);
  }
  const rules =
    typeof severity === "object" ? severity.when.map((rule) => ({ ...rule, reader: readerOf(rule.pointer) })) : [];
  const fallback: Severity = typeof severity === "string" ? severity : (severity?.default ?? "info");
  return {
    document,
    summary: compileTemplate(document.summary),
    link: document.link === undefined ? undefined : compileTemplate(document.link),
    usernames: (document.usernames ?? []).map(readerOf),
    packages: (document.packages ?? []).map(readerOf),
    severity: (data) =>
      rules.find(
        ({ reader, equals }) => (reader.fansOut ? readBounded(reader.read, data) : reader.read(data)) === equals,
      )?.severity ?? fallback,
  };
}

/** The most usernames (or packages) one message names: past it, the rest are not shown. */
const maxNames = 100;

/**
 * The strings at `pointers` in `data` (a `*` pointer gives several), once each, at most
 * {@link maxNames}; missing ones are left out. Read within a rendering's work bound.
 */
function stringsAt(data: unknown, readers: readonly PointerReader[]): string[] {
  const found: string[] = [];
  for (const { read, fansOut } of readers) {
    const value = fansOut ? readBounded(read, data) : read(data);
    if (!Array.isArray(value)) {
      if (typeof value === "string" && value !== "" && found.length < maxNames && !found.includes(value))
        found.push(value);
      continue;
    }
    for (const item of value) {
      if (found.length >= maxNames) return found;
      if (typeof item === "string" && item !== "" && !found.includes(item)) found.push(item);
    }
  }
  return found;
}

/** A compiled pointer, and whether it has a `*` (whose reading is bounded). */
export interface PointerReader {
  read: (data: unknown) => unknown;
  fansOut: boolean;
}
const readerOf = (pointer: string): PointerReader => ({
  read: compilePointer(pointer),
  fansOut: pointer.includes("*"),
});

/** Only `http:` and `https:` links are shown: never `javascript:` or `data:` from a message. */
function safeLink(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  return /^https?:\/\/[^\s"'<>]+$/i.test(link) ? link : undefined;
}

/**
 * Presents `data` with a compiled document. Never throws: a summary that names a field the data
 * lacks gives {@link genericPresentation}'s line, with the document's icon.
 */
export function presentData(compiled: CompiledPresentation, data: unknown): Presentation {
  const { document } = compiled;
  const summary = compiled.summary.render(data);
  const generic = summary === undefined ? genericPresentation(data) : undefined;
  return {
    summary: summary ?? (generic as Presentation).summary,
    usernames: stringsAt(data, compiled.usernames),
    packages: stringsAt(data, compiled.packages),
    link: safeLink(compiled.link?.render(data)),
    icon: document.icon ?? "message-square",
    severity: compiled.severity(data),
  };
}

/** The line of a message nothing presents: its data as compact JSON, cut at 200 characters. */
export function genericPresentation(data: unknown): Presentation {
  let text: string;
  try {
    text = JSON.stringify(data) ?? "";
  } catch {
    // Data too deep for JSON.stringify (or with a cycle) is shown as such, never thrown.
    text = "(data not shown: nested too deeply)";
  }
  return {
    summary: text.length > 200 ? `${text.slice(0, 199)}…` : text,
    usernames: [],
    packages: [],
    link: undefined,
    icon: "message-square",
    severity: "info",
  };
}
