/**
 * Compatibility between two versions of a JSON Schema under Herald's versioning policy: a minor
 * version must accept exactly what the previous one accepted, which in practice allows only
 * optional properties added to open objects and changed annotations. Anything else needs a new
 * major version.
 */

type Schema = Record<string, unknown>;

/** One difference: where (a JSON path into the data), which rule, and whether it breaks the policy. */
export interface SchemaChange {
  path: string;
  rule: string;
  breaking: boolean;
  /** Old and new value, in words, for people. */
  detail: string;
}

/** The verdict of {@link diffSchemas}. */
export interface SchemaDiff {
  /** True when every change is allowed in a minor version. */
  compatible: boolean;
  changes: SchemaChange[];
}

/** Keywords that only describe: changing them never changes what is valid. */
const annotations = new Set([
  "description",
  "title",
  "examples",
  "$comment",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$id",
  "$schema",
]);

/** Keywords that bound a value, with the direction in which a larger number loosens. */
const bounds: Record<string, "up-loosens" | "down-loosens"> = {
  maximum: "up-loosens",
  exclusiveMaximum: "up-loosens",
  maxLength: "up-loosens",
  maxItems: "up-loosens",
  maxProperties: "up-loosens",
  minimum: "down-loosens",
  exclusiveMinimum: "down-loosens",
  minLength: "down-loosens",
  minItems: "down-loosens",
  minProperties: "down-loosens",
};

/** Keywords whose nested schemas are compared structurally. */
const handled = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "allOf",
  "patternProperties",
]);

/** Compares two JSON Schemas and lists every change, each judged against the versioning policy. */
export function diffSchemas(oldSchema: Schema, newSchema: Schema): SchemaDiff {
  const changes: SchemaChange[] = [];
  compare(oldSchema, newSchema, "$", changes);
  return { compatible: changes.every((change) => !change.breaking), changes };
}

function compare(before: Schema, after: Schema, path: string, changes: SchemaChange[]): void {
  const add = (rule: string, breaking: boolean, detail: string, at = path) =>
    changes.push({ path: at, rule, breaking, detail });
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);

  for (const key of keys) {
    const was = before[key];
    const is = after[key];
    if (handled.has(key) || deepEqual(was, is)) continue;
    if (annotations.has(key)) {
      add(`${key}-changed`, false, "annotation only");
    } else if (key in bounds) {
      add(boundRule(key, was, is), true, `${key}: ${show(was)} → ${show(is)}`);
    } else {
      add(`${key}-changed`, true, `${key}: ${show(was)} → ${show(is)}`);
    }
  }

  const typesBefore = typeSet(before);
  const typesAfter = typeSet(after);
  if (typesBefore !== typesAfter) add("type-changed", true, `${typesBefore || "any"} → ${typesAfter || "any"}`);

  compareEnum(before, after, add);
  if (!deepEqual(before.const, after.const)) add("const-changed", true, `${show(before.const)} → ${show(after.const)}`);
  compareObject(before, after, path, changes, add);
  if (isSchema(before.items) || isSchema(after.items)) {
    compare(asSchema(before.items), asSchema(after.items), `${path}[]`, changes);
  }
  for (const keyword of ["anyOf", "oneOf", "allOf"] as const) {
    const was = before[keyword];
    const is = after[keyword];
    if (deepEqual(was, is)) continue;
    if (Array.isArray(was) && Array.isArray(is) && was.length === is.length) {
      for (const [index, branch] of was.entries()) {
        compare(asSchema(branch), asSchema(is[index]), `${path}<${keyword}[${index}]>`, changes);
      }
    } else {
      add(
        `${keyword}-changed`,
        true,
        `${Array.isArray(was) ? was.length : 0} → ${Array.isArray(is) ? is.length : 0} alternatives`,
      );
    }
  }
  if (!deepEqual(before.patternProperties, after.patternProperties)) {
    const was = asSchema(before.patternProperties);
    const is = asSchema(after.patternProperties);
    for (const pattern of new Set([...Object.keys(was), ...Object.keys(is)])) {
      if (!(pattern in was) || !(pattern in is))
        add("pattern-properties-changed", true, `pattern ${pattern}`, `${path}[*]`);
      else compare(asSchema(was[pattern]), asSchema(is[pattern]), `${path}[*]`, changes);
    }
  }
}

function compareObject(
  before: Schema,
  after: Schema,
  path: string,
  changes: SchemaChange[],
  add: (rule: string, breaking: boolean, detail: string, at?: string) => void,
): void {
  const propsBefore = asSchema(before.properties);
  const propsAfter = asSchema(after.properties);
  const requiredBefore = new Set(asStrings(before.required));
  const requiredAfter = new Set(asStrings(after.required));
  const closedBefore = before.additionalProperties === false;
  const closedAfter = after.additionalProperties === false;

  if (!closedBefore && closedAfter) add("additional-properties-closed", true, "additionalProperties: open → false");
  else if (closedBefore && !closedAfter)
    add("additional-properties-opened", true, "additionalProperties: false → open");
  else if (isSchema(before.additionalProperties) || isSchema(after.additionalProperties)) {
    compare(asSchema(before.additionalProperties), asSchema(after.additionalProperties), `${path}[*]`, changes);
  }

  for (const name of new Set([...Object.keys(propsBefore), ...Object.keys(propsAfter)])) {
    const at = `${path}.${name}`;
    if (!(name in propsBefore)) {
      if (requiredAfter.has(name)) add("property-added-required", true, "new required property", at);
      // Adding an optional property keeps every old message valid only where the object was open.
      else
        add(
          "property-added-optional",
          closedBefore,
          closedBefore ? "added to a closed object" : "new optional property",
          at,
        );
      continue;
    }
    if (!(name in propsAfter)) {
      add("property-removed", true, requiredBefore.has(name) ? "was required" : "was optional", at);
      continue;
    }
    if (requiredBefore.has(name) && !requiredAfter.has(name))
      add("property-made-optional", true, "required → optional", at);
    if (!requiredBefore.has(name) && requiredAfter.has(name))
      add("property-made-required", true, "optional → required", at);
    compare(asSchema(propsBefore[name]), asSchema(propsAfter[name]), at, changes);
  }
  for (const name of requiredAfter) {
    if (!(name in propsAfter) && !requiredBefore.has(name))
      add("property-made-required", true, "newly required", `${path}.${name}`);
  }
}

function compareEnum(
  before: Schema,
  after: Schema,
  add: (rule: string, breaking: boolean, detail: string) => void,
): void {
  if (deepEqual(before.enum, after.enum)) return;
  const was = Array.isArray(before.enum) ? before.enum : undefined;
  const is = Array.isArray(after.enum) ? after.enum : undefined;
  if (was === undefined || is === undefined) {
    add(was === undefined ? "enum-added" : "enum-removed", true, `${show(was)} → ${show(is)}`);
    return;
  }
  const added = is.filter((value) => !was.some((old) => deepEqual(old, value)));
  const removed = was.filter((value) => !is.some((now) => deepEqual(now, value)));
  if (added.length > 0) add("enum-widened", true, `added ${show(added)}`);
  if (removed.length > 0) add("enum-narrowed", true, `removed ${show(removed)}`);
}

function boundRule(key: string, was: unknown, is: unknown): string {
  if (typeof was !== "number" || typeof is !== "number")
    return was === undefined ? "bound-added" : is === undefined ? "bound-removed" : "bound-changed";
  const loosened = bounds[key] === "up-loosens" ? is > was : is < was;
  return loosened ? "bound-loosened" : "bound-tightened";
}

/** The set of JSON types a schema allows, as sorted text ("" when unconstrained). */
function typeSet(schema: Schema): string {
  const type = schema.type;
  const list = Array.isArray(type) ? type : type === undefined ? [] : [type];
  // "integer" is a subset of "number": both spellings of "number + integer" mean number.
  return [...new Set(list.map(String))].sort().join("|");
}

const isSchema = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const asSchema = (value: unknown): Schema => (isSchema(value) ? value : {});
const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
const show = (value: unknown) => (value === undefined ? "none" : JSON.stringify(value));

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => deepEqual((a as Schema)[key], (b as Schema)[key]));
}
