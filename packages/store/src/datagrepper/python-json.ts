/**
 * A number Python's `json` writes as a float (`1764600000.0`), where datagrepper answers one:
 * its timestamps and the `start`, `end` and `delta` of `arguments`. A Python client reads
 * `1764600000` as an int, and fedmsg compares and re-sends what it read.
 */
export class PythonFloat {
  constructor(readonly value: number) {}
}

/**
 * JSON as Python's `json.dumps` writes it for the values datagrepper answers: floats keep their
 * `.0`, the rest is JSON. Separators are compact; no client reads the spacing.
 */
export function pythonJson(value: unknown): string {
  if (value instanceof PythonFloat)
    return Number.isInteger(value.value) && Math.abs(value.value) < 1e16 ? `${value.value}.0` : String(value.value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(",")}]`;
  if (typeof value === "object" && value !== null)
    return `{${Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .map(([key, child]) => `${JSON.stringify(key)}:${pythonJson(child)}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}
