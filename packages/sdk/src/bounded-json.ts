import { isUtf8 } from "node:buffer";

/** Limits of {@link readBoundedJson}; each has a default fit for a Herald envelope. */
export interface JsonLimits {
  /** The most bytes (UTF-8) the text may have (default 1 MiB). */
  maxBytes?: number;
  /** The deepest nesting of objects and arrays (default 64). */
  maxDepth?: number;
  /**
   * What to do with an integer literal beyond ±(2^53−1), which `JSON.parse` silently rounds:
   * `refuse` (default), `string` (it becomes a string of its exact digits, as PROTOCOL.md §2 wants
   * larger numbers to travel; its pointer reported) or `allow` (the value is rounded and its
   * pointer reported).
   */
  unsafeIntegers?: "refuse" | "string" | "allow";
}

/** Why a text was refused: one short reason a log line or an HTTP 400 can carry. */
export type JsonRefusal =
  | { reason: "too-large"; detail: string }
  | { reason: "too-deep"; detail: string }
  | { reason: "duplicate-key"; detail: string }
  | { reason: "unsafe-integer"; detail: string }
  | { reason: "not-json"; detail: string };

/** What {@link readBoundedJson} read. */
export type JsonReading =
  | {
      ok: true;
      value: unknown;
      /** JSON Pointers of integers beyond ±(2^53−1): strings in `value` with `unsafeIntegers: "string"`, rounded with `"allow"`. */
      unsafeIntegers: string[];
    }
  | ({ ok: false } & JsonRefusal);

/**
 * The largest message a Herald process reads unless configured (`max_message_bytes`): an envelope
 * is a few KiB, so 1 MiB leaves room for any real one and bounds what a peer can make it hold.
 */
export const defaultMaxMessageBytes = 1024 * 1024;
const defaultMaxDepth = 64;
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The one reader of JSON that arrives from the network (frames, HTTP bodies, WebSocket messages):
 * it never throws, whatever the bytes, and refuses a text that is too large or too deeply nested
 * (before building any value), an object with the same key twice (two parsers could see
 * different values; PROTOCOL.md signs one), or an integer `JSON.parse` would round. Costs one
 * quick linear pass and a count of keys on top of `JSON.parse`; the detailed walk that names
 * what and where runs only for a text it refuses.
 */
export function readBoundedJson(input: string | Uint8Array, limits: JsonLimits = {}): JsonReading {
  const maxBytes = limits.maxBytes ?? defaultMaxMessageBytes;
  const bytes = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
  if (bytes > maxBytes) return { ok: false, reason: "too-large", detail: `${bytes} bytes, at most ${maxBytes}` };
  if (typeof input !== "string" && !isUtf8(input)) return { ok: false, reason: "not-json", detail: "not valid UTF-8" };
  const text =
    typeof input === "string"
      ? input
      : Buffer.isBuffer(input)
        ? input.toString("utf8")
        : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString("utf8");
  const maxDepth = limits.maxDepth ?? defaultMaxDepth;
  const unsafe = limits.unsafeIntegers ?? "refuse";
  // The common case costs one quick pass: depth, a count of object keys, long number literals.
  // Only when that pass or the count after parsing finds something does the full walk run, to
  // name what and where.
  const keys = quickScan(text, maxDepth);
  if (keys === suspect) {
    const scanned = scan(text, maxDepth, unsafe);
    if (!scanned.ok) return scanned;
    return parse(quoted(text, scanned.spans), scanned.unsafeIntegers);
  }
  const parsed = parse(text, noUnsafeIntegers);
  if (parsed.ok && countKeys(parsed.value) !== keys) {
    // JSON.parse keeps one of two equal keys (`"a"` and `"\u0061"` too): the count tells.
    const scanned = scan(text, maxDepth, unsafe);
    if (!scanned.ok) return scanned;
  }
  return parsed;
}

function parse(text: string, unsafeIntegers: string[]): JsonReading {
  try {
    return { ok: true, value: JSON.parse(text), unsafeIntegers };
  } catch (error) {
    return { ok: false, reason: "not-json", detail: (error as Error).message };
  }
}

/** The keys of every object in a parsed value (its depth is already bounded by the scan). */
function countKeys(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) count += countKeys(value[index]);
    return count;
  }
  for (const key in value) {
    count++;
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null) count += countKeys(child);
  }
  return count;
}

/** What {@link quickScan} answers for a text to look at closely. */
const suspect = -1;
/** No integer was rounded: shared, so the common answer allocates no list. */
const noUnsafeIntegers = Object.freeze([]) as unknown as string[];

/** The kind of each open container of {@link quickScan} (1 object, 0 array): one buffer, never reallocated. */
let openKinds = new Uint8Array(65);

/**
 * One linear pass that builds nothing: how many object keys the text has, or {@link suspect} when
 * it is too deep or holds a number literal long enough to be beyond ±(2^53−1) (look closer).
 * Written for speed (it runs on every received frame): no allocation, the rare characters last.
 */
function quickScan(text: string, maxDepth: number): number {
  if (openKinds.length <= maxDepth) openKinds = new Uint8Array(maxDepth + 1);
  const kinds = openKinds;
  const length = text.length;
  let depth = 0;
  let keys = 0;
  let expectKey = false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = closingQuote(text, i);
      if (expectKey) {
        keys++;
        expectKey = false;
      }
    } else if (c < 0x2c) {
      // Whitespace and the like: nothing structural sorts below ','.
    } else if (c === 0x2c /* , */) {
      expectKey = kinds[depth] === 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth >= maxDepth) return suspect;
      kinds[++depth] = c === 0x7b ? 1 : 0;
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) depth--;
      expectKey = false;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      while (i + 1 < length) {
        const d = text.charCodeAt(i + 1);
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) i++;
        else break;
      }
      if (i + 1 - start >= 16) return suspect;
    }
  }
  return keys;
}

/** The index of the quote that closes the string opening at `start` (the text's end if none). */
function closingQuote(text: string, start: number): number {
  // Found with indexOf (native), not char by char: a quote closes unless an odd run of
  // backslashes stands before it.
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    if (text.charCodeAt(end - 1) !== 0x5c /* \\ */) return end;
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

interface Frame {
  /**
   * Keys seen so far, for an object; undefined for an array. A list while short (most objects of
   * an envelope have a handful of keys, and a list is cheaper than a Set to make), a Set past 16.
   */
  keys: string[] | undefined;
  /** The same keys as a Set, once there are more than 16. */
  keySet: Set<string> | undefined;
  /** The current key or index, for pointers. */
  at: string | number;
}

type ScanResult =
  | {
      ok: true;
      unsafeIntegers: string[];
      /** Start and end (exclusive) of each unsafe literal to quote, with `unsafeIntegers: "string"`. */
      spans: number[];
    }
  | ({ ok: false } & JsonRefusal);

/** The text with each span quoted: `12345678901234567890` becomes `"12345678901234567890"`. */
function quoted(text: string, spans: readonly number[]): string {
  if (spans.length === 0) return text;
  let out = "";
  let from = 0;
  for (let index = 0; index < spans.length; index += 2) {
    const [start, end] = [spans[index] as number, spans[index + 1] as number];
    out += `${text.slice(from, start)}"${text.slice(start, end)}"`;
    from = end;
  }
  return out + text.slice(from);
}

const pointerOf = (stack: readonly Frame[]): string =>
  stack.map((frame) => `/${String(frame.at).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");

/**
 * Walks the text's structure: depth, object keys, integer literals. Anything malformed is left
 * for `JSON.parse` to name (the scan only has to stay linear and never throw).
 */
function scan(text: string, maxDepth: number, unsafe: "refuse" | "string" | "allow"): ScanResult {
  const stack: Frame[] = [];
  const unsafeIntegers: string[] = [];
  const spans: number[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth)
        return { ok: false, reason: "too-deep", detail: `nested deeper than ${maxDepth} at ${pointerOf(stack)}` };
      stack.push({ keys: c === 0x7b ? [] : undefined, keySet: undefined, at: c === 0x7b ? "" : 0 });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys !== undefined) expectKey = true;
      else if (top !== undefined) top.at = (top.at as number) + 1;
    } else if (c === 0x22 /* " */) {
      const start = i;
      i = closingQuote(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys !== undefined) {
        let key = text.slice(start + 1, i);
        if (key.includes("\\")) {
          try {
            key = JSON.parse(text.slice(start, i + 1)) as string;
          } catch {
            return { ok: true, unsafeIntegers, spans: [] }; // malformed: JSON.parse names it
          }
        }
        const { keys, keySet } = top;
        if (keySet === undefined ? keys.includes(key) : keySet.has(key))
          return {
            ok: false,
            reason: "duplicate-key",
            detail: `${JSON.stringify(key)} twice at ${pointerOf(stack.slice(0, -1)) || "/"}`,
          };
        if (keySet !== undefined) keySet.add(key);
        else if (keys.length < 16) keys.push(key);
        else top.keySet = new Set([...keys, key]);
        top.at = key;
        expectKey = false;
      }
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      let integer = true;
      while (i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0x30 && d <= 0x39) i++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) {
          integer = false;
          i++;
        } else break;
      }
      // 16 characters hold every safe integer; only longer literals can be beyond it.
      if (integer && i + 1 - start >= 16) {
        let big: bigint;
        try {
          big = BigInt(text.slice(start, i + 1));
        } catch {
          continue;
        }
        if (big > maxSafe || big < -maxSafe) {
          const where = pointerOf(stack) || "/";
          if (unsafe === "refuse")
            return {
              ok: false,
              reason: "unsafe-integer",
              detail: `${text.slice(start, i + 1)} at ${where} would be rounded`,
            };
          unsafeIntegers.push(where);
          if (unsafe === "string") spans.push(start, i + 1);
        }
      }
    }
  }
  return { ok: true, unsafeIntegers, spans };
}
