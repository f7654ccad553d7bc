import type { Presentation, PresentationDocument, Severity } from "./presentation-document.js";
import { type CompiledTemplate, compilePointer, compileTemplate } from "./render-template.js";

const severities: readonly Severity[] = ["debug", "info", "warning", "error"];

/** A presentation document compiled once, for {@link presentData}. */
export interface CompiledPresentation {
  readonly document: PresentationDocument;
  readonly summary: CompiledTemplate;
  readonly link: CompiledTemplate | undefined;
  readonly usernames: readonly ((data: unknown) => unknown)[];
  readonly packages: readonly ((data: unknown) => unknown)[];
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
    typeof severity === "object" ? severity.when.map((rule) => ({ ...rule, read: compilePointer(rule.pointer) })) : [];
  const fallback: Severity = typeof severity === "string" ? severity : (severity?.default ?? "info");
  return {
    document,
    summary: compileTemplate(document.summary),
    link: document.link === undefined ? undefined : compileTemplate(document.link),
    usernames: (document.usernames ?? []).map(compilePointer),
    packages: (document.packages ?? []).map(compilePointer),
    severity: (data) => rules.find((rule) => rule.read(data) === rule.equals)?.severity ?? fallback,
  };
}

/** The strings at `pointers` in `data` (a `*` pointer gives several); missing ones are left out. */
function stringsAt(data: unknown, readers: readonly ((data: unknown) => unknown)[]): string[] {
  const found: string[] = [];
  for (const read of readers) {
    const value = read(data);
    for (const item of Array.isArray(value) ? value : [value])
      if (typeof item === "string" && item !== "" && !found.includes(item)) found.push(item);
  }
  return found;
}

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
