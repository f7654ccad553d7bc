import { HeraldError } from "@herald/sdk";

/** Where a database is, as a `db` setting names it. */
export type DatabaseSpec =
  | { kind: "sqlite"; file: string; location: string }
  | {
      kind: "postgres";
      /** The URL to connect with, without Herald's own `schema` parameter. */
      connectionString: string;
      /** The schema to keep the tables in (created if needed), from `?schema=`. */
      schema: string | undefined;
      /** The URL without its password, to name the database in messages. */
      location: string;
    };

/**
 * Reads a database setting: `sqlite:FILE` (or a bare file path) or `postgres://…` /
 * `postgresql://…`, with an optional `?schema=NAME` keeping the tables in that schema. Every store
 * (messages, preferences) takes the same values, so they can share a database.
 * @throws HeraldError `E_CONFIG` naming `setting` for a value that is neither.
 */
export function parseDatabaseSpec(spec: string, setting = "db"): DatabaseSpec {
  if (/^postgres(ql)?:\/\//.test(spec)) {
    let parsed: URL;
    try {
      parsed = new URL(spec);
    } catch {
      throw new HeraldError("E_CONFIG", `${setting}: not a postgres:// URL`);
    }
    const schema = parsed.searchParams.get("schema") ?? undefined;
    parsed.searchParams.delete("schema");
    const connectionString = parsed.toString();
    if (parsed.password !== "") parsed.password = "***";
    const location = parsed.toString();
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new HeraldError("E_CONFIG", `${location}: schema must be a lower-case SQL name`);
    return { kind: "postgres", connectionString, schema, location };
  }
  const file = spec.startsWith("sqlite:") ? spec.slice("sqlite:".length) : spec;
  if (file === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(file))
    throw new HeraldError("E_CONFIG", `${setting} ${spec}: expected sqlite:FILE or postgres://…`);
  return { kind: "sqlite", file, location: file };
}
