import { readFileSync } from "node:fs";
import { HeraldError, readBoundedJson } from "@herald/sdk";
import { defaultEd25519Engine } from "@herald/sdk/internal";

/** Which key may register which schema names: the registry's own file, apart from trust files. */
export interface AccessList {
  /** Where it was read from, for messages. */
  readonly origin: string;
  /** The registrant's prepared public key, when the list names `keyid`. */
  key(keyid: string): { verify(message: Uint8Array, signature: Uint8Array): boolean } | undefined;
  /** Whether `keyid` may register versions of `name`. */
  allows(keyid: string, name: string): boolean;
}

/**
 * The JSON form of an access list (docs/schema-registry.md):
 * `{ "version": 1, "registrants": { "<keyid>": { "publicKey": "<base64>", "schemas": ["shop.*"] } } }`.
 * A pattern is a schema name, or a prefix followed by `.*` (every name below it), or `*`.
 */
export interface AccessListJson {
  version: 1;
  registrants: Record<string, { publicKey: string; schemas: string[] }>;
}

const base64Of32Bytes = /^[A-Za-z0-9+/]{43}=$/;
const namePattern = /^(\*|[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*(\.\*)?)$/;
const keyidForm = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Checks an access list's JSON value; every error names the file and the registrant.
 * @throws HeraldError `E_CONFIG`
 */
export function parseAccessList(value: unknown, origin = "access list"): AccessList {
  const fail = (what: string): never => {
    throw new HeraldError("E_CONFIG", `${origin}: ${what}`);
  };
  const list = value as Partial<AccessListJson>;
  if (typeof value !== "object" || value === null || list.version !== 1)
    fail('must be an object with "version": 1 and "registrants"');
  if (typeof list.registrants !== "object" || list.registrants === null) fail('"registrants" must be an object');
  const engine = defaultEd25519Engine();
  const registrants = new Map<string, { key: ReturnType<typeof engine.publicKey>; patterns: string[] }>();
  for (const [keyid, entry] of Object.entries(list.registrants as AccessListJson["registrants"])) {
    if (!keyidForm.test(keyid)) fail(`${JSON.stringify(keyid)} is not a key id`);
    if (typeof entry?.publicKey !== "string" || !base64Of32Bytes.test(entry.publicKey))
      fail(`${keyid}: publicKey must be the base64 of 32 bytes`);
    if (!Array.isArray(entry.schemas) || entry.schemas.some((p) => typeof p !== "string" || !namePattern.test(p)))
      fail(`${keyid}: schemas must list schema names, "<prefix>.*" or "*"`);
    registrants.set(keyid, {
      key: engine.publicKey(Buffer.from(entry.publicKey, "base64")),
      patterns: entry.schemas,
    });
  }
  return {
    origin,
    key: (keyid) => registrants.get(keyid)?.key,
    allows(keyid, name) {
      const patterns = registrants.get(keyid)?.patterns ?? [];
      return patterns.some(
        (pattern) =>
          pattern === "*" || pattern === name || (pattern.endsWith(".*") && name.startsWith(pattern.slice(0, -1))),
      );
    },
  };
}

/**
 * Reads an access list file.
 * @throws HeraldError `E_CONFIG` when it cannot be read or is wrong.
 */
export function loadAccessList(file: string): AccessList {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new HeraldError("E_CONFIG", `cannot read access list ${file}: ${(cause as NodeJS.ErrnoException).code}`, {
      cause,
    });
  }
  const reading = readBoundedJson(text);
  if (!reading.ok) throw new HeraldError("E_CONFIG", `${file}: ${reading.detail}`);
  return parseAccessList(reading.value, file);
}
