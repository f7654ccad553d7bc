/** One row of a topic version's field table. */
export interface FieldRow {
  /** `repo`, `commits[].id`: where the field sits in `data`. */
  path: string;
  type: string;
  required: boolean;
  description: string;
  /** Bounds and formats in words: `1–255 characters`, `pattern ^[a-z]+$`, `one of a, b`. */
  constraints: string[];
}

type Schema = Record<string, unknown>;

/**
 * Flattens a JSON Schema into rows, one per field, nested objects and arrays of objects included
 * (`commits[].id`), in declaration order.
 */
export function fieldRows(schema: Schema, prefix = "", requiredHere = true): FieldRow[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows: FieldRow[] = [];
  for (const [name, child] of Object.entries(properties)) {
    const path = prefix === "" ? name : `${prefix}.${name}`;
    rows.push({
      path,
      type: typeOf(child),
      required: requiredHere && required.has(name),
      description: String(child.description ?? ""),
      constraints: constraintsOf(child),
    });
    if (child.type === "object") rows.push(...fieldRows(child, path, requiredHere && required.has(name)));
    const items = child.items as Schema | undefined;
    if (child.type === "array" && items?.type === "object")
      rows.push(...fieldRows(items, `${path}[]`, requiredHere && required.has(name)));
  }
  return rows;
}

function typeOf(schema: Schema): string {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).map(typeOf).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.type === "array") return `${typeOf((schema.items ?? {}) as Schema)}[]`;
  return String(schema.type ?? "any");
}

function constraintsOf(schema: Schema): string[] {
  const out: string[] = [];
  const range = (low: unknown, high: unknown, unit: string) => {
    if (low !== undefined && high !== undefined) out.push(`${low}–${high}${unit}`);
    else if (low !== undefined) out.push(`at least ${low}${unit}`);
    else if (high !== undefined) out.push(`at most ${high}${unit}`);
  };
  range(schema.minLength, schema.maxLength, " characters");
  range(schema.minimum, schema.maximum, "");
  range(schema.minItems, schema.maxItems, " items");
  if (schema.exclusiveMinimum !== undefined) out.push(`more than ${schema.exclusiveMinimum}`);
  if (schema.pattern !== undefined) out.push(`pattern ${schema.pattern}`);
  if (schema.format !== undefined) out.push(`format ${schema.format}`);
  if (Array.isArray(schema.enum)) out.push(`one of ${schema.enum.join(", ")}`);
  if (Array.isArray(schema.anyOf) && (schema.anyOf as Schema[]).every((choice) => choice.const !== undefined))
    out.push(`one of ${(schema.anyOf as Schema[]).map((choice) => choice.const).join(", ")}`);
  if (schema.additionalProperties === false) out.push("no other fields");
  return out;
}
