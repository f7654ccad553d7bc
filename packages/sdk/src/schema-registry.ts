/**
 * What the Bus needs of a schema registry. `@herald/schemas` provides one for the built-in
 * catalogue and for a folder of JSON Schema files; the SDK itself validates nothing on its own.
 */

/** The result of checking `data` against a schema. */
export type DataCheck =
  | { ok: true }
  | {
      ok: false;
      /** The first problem: its JSON path (`$.commit.rev`), the rule broken (`pattern`), and why. */
      path: string;
      rule: string;
      message: string;
      /** Every problem, the first included, when the schema can tell them all (a user's report lists them). */
      problems?: readonly DataProblem[];
    };

/** One way data breaks its schema. */
export interface DataProblem {
  path: string;
  rule: string;
  message: string;
}

/** One compiled schema version, ready to check data many times. */
export interface DataSchema {
  /** `herald:<schema name>/<major>.<minor>` */
  readonly dataschema: string;
  check(data: unknown): DataCheck;
}

/** What a received `dataschema` resolves to. */
export type SchemaLookup =
  | { status: "found"; schema: DataSchema }
  | { status: "unknown-schema" | "unknown-version"; dataschema: string };

/** A set of schemas, compiled once. */
export interface SchemaRegistry {
  /** The newest version of a schema name, what a publisher uses by default. */
  latest(name: string): DataSchema | undefined;
  /**
   * The schema a received `dataschema` names. A minor version newer than any known one resolves
   * to the newest known minor of its major: the versioning policy makes them equivalent.
   */
  lookup(dataschema: string): SchemaLookup;
  /**
   * Makes a `dataschema` this registry does not hold yet known, when it can fetch it (from a
   * registry service): a promise the receive pipeline waits for before {@link lookup}, in order.
   * `undefined` when there is nothing to wait for (known, or a lookup that failed recently).
   */
  prepare?(dataschema: string): Promise<void> | undefined;
}

const dataschemaPattern = /^herald:([a-z0-9][a-z0-9_.-]*)\/(\d+)\.(\d+)$/;

/** Splits `herald:git.receive/1.2` into its parts; undefined when it is not of that form. */
export function parseDataschema(dataschema: string): { name: string; major: number; minor: number } | undefined {
  const match = dataschemaPattern.exec(dataschema);
  if (match === null) return undefined;
  return { name: match[1] as string, major: Number(match[2]), minor: Number(match[3]) };
}

/** Formats the `dataschema` attribute of a schema version. */
export function formatDataschema(name: string, version: string): string {
  return `herald:${name}/${version}`;
}
