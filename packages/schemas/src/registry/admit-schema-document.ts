import { readBoundedJson } from "@herald/sdk";
import { compileSchema } from "../compile-schema.js";
import type { JsonSchemaDocument } from "../to-json-schema.js";

/** The largest schema text a registration may carry. */
export const maxSchemaBytes = 256 * 1024;
/** How deep a schema document may nest (a real one is a few levels; the bounded reader's depth for envelopes is 64). */
const maxSchemaDepth = 32;
/** How many values (objects, arrays, strings, …) a schema document may hold. */
const maxSchemaNodes = 20_000;

/** What admitting a schema text found: the document, or one reason it is refused. */
export type SchemaAdmission = { ok: true; document: JsonSchemaDocument } | { ok: false; reason: string };

/**
 * Admits a schema text from elsewhere (a registration, a registry's answer, a cache file): read
 * with the bounded reader (size, depth, duplicate keys), bounded in size, every `$ref` inside the
 * document, and compiled with the settings every consumer uses (patterns on the linear-time
 * engine). Only a document that passes can reach a consumer's registry, so a consumer never
 * compiles one that throws, recurses without end or fetches from the network. Never throws.
 */
export function admitSchemaDocument(text: string): SchemaAdmission {
  const json = readBoundedJson(text, { maxBytes: maxSchemaBytes, maxDepth: maxSchemaDepth });
  if (!json.ok)
    return { ok: false, reason: json.reason === "not-json" ? "schema is not JSON" : `schema: ${json.detail}` };
  const document = json.value;
  if (typeof document !== "object" || document === null || Array.isArray(document))
    return { ok: false, reason: "schema is not a JSON Schema object" };
  const problem = boundsProblem(document);
  if (problem !== undefined) return { ok: false, reason: `schema: ${problem}` };
  try {
    compileSchema("herald:admission/1.0", document as JsonSchemaDocument, { untrusted: true });
  } catch (cause) {
    const message = cause instanceof RangeError ? "its references recurse without end" : (cause as Error).message;
    return { ok: false, reason: `schema does not compile: ${message.slice(0, 300)}` };
  }
  return { ok: true, document: document as JsonSchemaDocument };
}

/** Walks the document without recursion: too many values, a `$ref` that leaves it, a nested `$id`. */
function boundsProblem(document: object): string | undefined {
  const stack: Array<{ value: unknown; root: boolean }> = [{ value: document, root: true }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, root } = stack.pop() as { value: unknown; root: boolean };
    if (++nodes > maxSchemaNodes) return `more than ${maxSchemaNodes} values`;
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, root: false });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if ((key === "$ref" || key === "$dynamicRef") && (typeof child !== "string" || !child.startsWith("#")))
        return `${key} ${JSON.stringify(child).slice(0, 80)} points outside the document (only "#…" references are followed)`;
      // A nested $id would start a new base for references, possibly a remote one.
      if (key === "$id" && !root && typeof child === "string") return "a nested $id is not allowed";
      stack.push({ value: child, root: false });
    }
  }
  return undefined;
}
