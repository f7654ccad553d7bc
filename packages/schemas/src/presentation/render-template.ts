// The presentation templates' one evaluator. No imports, no Node API: the same file runs in a
// service and, served as is, in a browser.

/** A value a template reached: a JSON value, or a list gathered through a `*` segment. */
type Value = unknown;

/** Thrown (and caught by `present…`) when a template reaches a field that is not there. */
class Missing extends Error {}

/**
 * The bounds of one template and of one rendering: a presentation may come from a registry, and
 * one message with a large list must not make a service spend seconds and gigabytes on a line.
 */
export const templateLimits = {
  /** Tags (values and sections) in one template. */
  maxTags: 256,
  /** Sections inside sections. */
  maxDepth: 16,
  /** `*` segments in one pointer. */
  maxWildcards: 2,
  /** Values a rendering may visit (through `*` segments): past it, the generic line. */
  maxWork: 10_000,
  /** Characters of a rendered text: past it, the text is cut there. */
  maxOutput: 4096,
};

/** The work left in the rendering under way (the evaluator is synchronous: one at a time). */
let work = Number.POSITIVE_INFINITY;

/**
 * Reads a compiled pointer within the work bound of one rendering: undefined past it (a `*` over
 * a list too long to be shown).
 */
export function readBounded(read: (data: unknown) => Value, data: unknown): Value {
  work = templateLimits.maxWork;
  try {
    return read(data);
  } catch {
    return undefined;
  } finally {
    work = Number.POSITIVE_INFINITY;
  }
}

type Filter = (value: Value, args: readonly unknown[]) => Value;

const eachScalar =
  (fn: (value: Value, args: readonly unknown[]) => Value): Filter =>
  (value, args) =>
    Array.isArray(value) ? value.map((item) => fn(item, args)) : fn(value, args);

const number = (value: Value): number => {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Missing();
  return value;
};

/**
 * The filters templates may use, a fixed set (docs/schemas.md): `round [digits]`, `divide N`,
 * `plural "one" "many"`, `shortref`, `signed`, `truncate N`, `join "sep"`, `default "text"`,
 * `count`.
 */
export const templateFilters: Readonly<Record<string, Filter>> = {
  round: eachScalar((value, [digits = 0]) => {
    const scale = 10 ** Number(digits);
    return Math.round(number(value) * scale) / scale;
  }),
  divide: eachScalar((value, [by = 1]) => number(value) / Number(by)),
  plural: (value, [one = "", many = ""]) => (number(value) === 1 ? one : many),
  shortref: eachScalar((value) => text(value).replace(/^refs\/(heads|tags)\//, "")),
  signed: eachScalar((value) => {
    const n = number(value);
    return n >= 0 ? `+${n}` : String(n);
  }),
  truncate: eachScalar((value, [length = 80]) => {
    const string = text(value);
    const max = Math.max(1, Number(length));
    return string.length > max ? `${string.slice(0, max - 1)}…` : string;
  }),
  join: (value, [separator = ", "]) => (Array.isArray(value) ? value.map(text).join(String(separator)) : text(value)),
  default: (value, [fallback = ""]) =>
    value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)
      ? fallback
      : value,
  count: (value) => (Array.isArray(value) ? value.length : number(value)),
};

/** A value as template text; a missing or structured one cannot be shown. */
function text(value: Value): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(text).join(", ");
  throw new Missing();
}

/** True when a section `{{#…}}` shows: the value is there and not `false`, `""` or `[]`. */
function shows(value: Value): boolean {
  return !(
    value === undefined ||
    value === null ||
    value === false ||
    value === "" ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Resolves a JSON Pointer (RFC 6901) in `data`, where a `*` segment takes every element of a list
 * (or every value of an object) and gives a list. Undefined when a segment is not there.
 */
export function resolvePointer(data: unknown, pointer: string): Value {
  return compilePointer(pointer)(data);
}

/** A JSON Pointer parsed once into a function that reads it (see {@link resolvePointer}). */
export function compilePointer(pointer: string): (data: unknown) => Value {
  if (pointer === "") return (data) => data;
  if (!pointer.startsWith("/")) return () => undefined;
  const segments = pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
  if (segments.length === 1 && segments[0] !== "*") {
    const key = segments[0] as string;
    return (data) =>
      data !== null && typeof data === "object" && Object.hasOwn(data, key)
        ? (data as Record<string, unknown>)[key]
        : undefined;
  }
  const walk = (node: unknown, at: number): Value => {
    for (; at < segments.length; at++) {
      if (node === null || typeof node !== "object") return undefined;
      const segment = segments[at] as string;
      if (segment === "*") {
        const items = Array.isArray(node) ? node : Object.values(node);
        work -= items.length;
        if (work < 0) throw new Missing();
        const next = at + 1;
        return items.map((item) => walk(item, next)).filter((item) => item !== undefined);
      }
      if (!Object.hasOwn(node, segment)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
    return node;
  };
  return (data) => walk(data, 0);
}

type Part =
  | { kind: "text"; text: string }
  | { kind: "value"; read: (data: unknown) => Value; filters: { apply: Filter; args: unknown[] }[] }
  | { kind: "section"; read: (data: unknown) => Value; inverted: boolean; body: Part[] };

/** A template parsed once: render it per message. */
export interface CompiledTemplate {
  readonly source: string;
  /**
   * The text for `data`; undefined when the template reaches a field that is not there (outside a
   * section) or a value it cannot show, so the caller can fall back to a generic line.
   */
  render(data: unknown): string | undefined;
}

const tag = /\{\{\s*([#^]?)\s*([^}]*?)\s*\}\}/g;

/**
 * Parses a template: text with `{{/pointer | filter args}}` values, `{{#/pointer}}…{{end}}`
 * sections shown when the field is there (and not false or empty), `{{^/pointer}}…{{end}}` when
 * it is not. Filter arguments are JSON literals.
 * @throws Error naming the mistake and its place, for a template that cannot be parsed (a schema
 *   author's mistake, found when the document is loaded, never per message).
 */
export function compileTemplate(source: string): CompiledTemplate {
  const root: Part[] = [];
  const stack: { body: Part[] }[] = [{ body: root }];
  let last = 0;
  let tags = 0;
  let wildcards = 0;
  for (const match of source.matchAll(tag)) {
    if (++tags > templateLimits.maxTags)
      throw new Error(`template of ${source.length} characters: more than ${templateLimits.maxTags} tags`);
    const top = stack[stack.length - 1] as { body: Part[] };
    if (match.index > last) top.body.push({ kind: "text", text: source.slice(last, match.index) });
    last = match.index + match[0].length;
    const [, sigil, inner = ""] = match;
    if (sigil === "" && inner === "end") {
      if (stack.length === 1) throw new Error(`template ${JSON.stringify(source)}: {{end}} without a section`);
      stack.pop();
      continue;
    }
    const [pointer = "", ...filterTexts] = inner.split("|").map((piece) => piece.trim());
    if (!pointer.startsWith("/"))
      throw new Error(`template ${JSON.stringify(source)}: ${JSON.stringify(pointer)} is not a JSON Pointer`);
    const stars = pointer.split("/").filter((segment) => segment === "*").length;
    if (stars > templateLimits.maxWildcards)
      throw new Error(`template: ${pointer} has more than ${templateLimits.maxWildcards} * segments`);
    wildcards += stars;
    if (sigil === "#" || sigil === "^") {
      if (filterTexts.length > 0) throw new Error(`template ${JSON.stringify(source)}: a section takes no filter`);
      const section: Part = { kind: "section", read: compilePointer(pointer), inverted: sigil === "^", body: [] };
      top.body.push(section);
      stack.push(section);
      if (stack.length > templateLimits.maxDepth + 1)
        throw new Error(`template: sections nest more than ${templateLimits.maxDepth} deep`);
      continue;
    }
    const filters = filterTexts.map((filterText) => parseFilter(source, filterText));
    top.body.push({ kind: "value", read: compilePointer(pointer), filters });
  }
  if (stack.length > 1) throw new Error(`template ${JSON.stringify(source)}: a section has no {{end}}`);
  const fansOut = wildcards > 0;
  if (last < source.length) root.push({ kind: "text", text: source.slice(last) });
  return {
    source,
    render(data) {
      // Only a `*` fans out: a template without one renders with no budget to keep.
      if (fansOut) work = templateLimits.maxWork;
      try {
        const out = renderParts(root, data);
        return out === undefined || out.length <= templateLimits.maxOutput
          ? out
          : `${out.slice(0, templateLimits.maxOutput - 1)}…`;
      } catch {
        // A missing field, the work bound, or anything else: the caller shows the generic line.
        return undefined;
      } finally {
        if (fansOut) work = Number.POSITIVE_INFINITY;
      }
    },
  };
}

function parseFilter(source: string, filterText: string): { apply: Filter; args: unknown[] } {
  const match = /^([a-z]+)((?:\s+(?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?))*)$/.exec(filterText);
  const name = match?.[1];
  if (match === null || name === undefined || !Object.hasOwn(templateFilters, name))
    throw new Error(`template ${JSON.stringify(source)}: unknown filter ${JSON.stringify(filterText)}`);
  const args = [...(match[2] ?? "").matchAll(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?/g)].map(
    (arg) => JSON.parse(arg[0]) as unknown,
  );
  return { apply: templateFilters[name] as Filter, args };
}

// A field that is not there ends the rendering without an exception: it is the common case of an
// optional link, and throwing per message would cost more than the rendering.
function renderParts(parts: readonly Part[], data: unknown): string | undefined {
  let out = "";
  for (const part of parts) {
    if (part.kind === "text") out += part.text;
    else if (part.kind === "section") {
      if (shows(part.read(data)) !== part.inverted) {
        const body = renderParts(part.body, data);
        if (body === undefined) return undefined;
        out += body;
      }
    } else {
      let value = part.read(data);
      for (const filter of part.filters) value = filter.apply(value, filter.args);
      if (value === undefined || value === null) return undefined;
      out += typeof value === "string" ? value : text(value);
    }
    // Past the bound the rest cannot show: the caller cuts the text there.
    if (out.length > templateLimits.maxOutput) return out;
  }
  return out;
}
