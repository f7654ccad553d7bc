import { defaultEd25519Engine, type Ed25519PublicKey } from "./ed25519.js";
import { isValidKeyId } from "./envelope.js";
import { HeraldError } from "./errors.js";
import { readTextFile } from "./read-text-file.js";
import { compileTopicPattern, isValidTopicPattern, type TopicPattern } from "./topic-pattern.js";

/** One key of a trust file, prepared for verification (public key parsed, patterns compiled). */
export interface TrustedKey {
  readonly keyid: string;
  readonly publicKeyBase64: string;
  readonly publicKey: Ed25519PublicKey;
  readonly topics: readonly TopicPattern[];
  /** Milliseconds since the epoch, when set. */
  readonly notBefore?: number;
  readonly notAfter?: number;
  readonly revoked: boolean;
}

/** A parsed trust file (PROTOCOL.md §4): which keys to believe and for which topics. */
export interface TrustStore {
  /** Where it was read from, for messages. */
  readonly origin: string;
  get(keyid: string): TrustedKey | undefined;
  readonly size: number;
  /** The key ids it holds (a parsed trust file has them; a hand-made store may not). */
  keyids?(): string[];
}

/** The JSON form of a trust file entry, as written by hand or by `herald keygen`. */
export interface TrustEntryJson {
  publicKey: string;
  topics: string[];
  notBefore?: string;
  notAfter?: string;
  revoked?: boolean;
}

/** The JSON form of a trust file. */
export interface TrustFileJson {
  version: 1;
  keys: Record<string, TrustEntryJson>;
}

const base64Of32Bytes = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Parses and checks a trust file's JSON value. Every error names the file and the key.
 * @throws HeraldError `E_TRUST`
 */
export function parseTrustFile(value: unknown, origin = "trust file"): TrustStore {
  const fail = (where: string, what: string): never => {
    throw new HeraldError("E_TRUST", `${origin}: ${where}: ${what}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("top level", "must be a JSON object");
  const file = value as Record<string, unknown>;
  if (file.version !== 1) fail("version", "must be 1");
  if (typeof file.keys !== "object" || file.keys === null || Array.isArray(file.keys))
    fail("keys", "must be an object");
  const engine = defaultEd25519Engine();
  const keys = new Map<string, TrustedKey>();
  for (const [keyid, raw] of Object.entries(file.keys as Record<string, unknown>)) {
    const where = `keys.${keyid}`;
    if (!isValidKeyId(keyid)) fail(where, "key id is not of the form [a-z0-9][a-z0-9._-]{0,63}");
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(where, "must be an object");
    const entry = raw as Record<string, unknown>;
    if (typeof entry.publicKey !== "string" || !base64Of32Bytes.test(entry.publicKey)) {
      fail(`${where}.publicKey`, "must be the base64 of 32 bytes");
    }
    if (!Array.isArray(entry.topics)) fail(`${where}.topics`, "must be an array of topic patterns");
    const topics = (entry.topics as unknown[]).map((pattern, index) => {
      if (typeof pattern !== "string" || !isValidTopicPattern(pattern)) {
        fail(`${where}.topics[${index}]`, `${JSON.stringify(pattern)} is not a topic pattern`);
      }
      return compileTopicPattern(pattern as string);
    });
    const notBefore = parseBound(entry.notBefore, `${where}.notBefore`, fail);
    const notAfter = parseBound(entry.notAfter, `${where}.notAfter`, fail);
    if (entry.revoked !== undefined && typeof entry.revoked !== "boolean")
      fail(`${where}.revoked`, "must be true or false");
    const publicKeyBase64 = entry.publicKey as string;
    keys.set(keyid, {
      keyid,
      publicKeyBase64,
      publicKey: engine.publicKey(Buffer.from(publicKeyBase64, "base64")),
      topics,
      ...(notBefore === undefined ? {} : { notBefore }),
      ...(notAfter === undefined ? {} : { notAfter }),
      revoked: entry.revoked === true,
    });
  }
  return { origin, get: (keyid) => keys.get(keyid), size: keys.size, keyids: () => [...keys.keys()] };
}

function parseBound(value: unknown, where: string, fail: (where: string, what: string) => never): number | undefined {
  if (value === undefined) return undefined;
  const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) fail(where, "must be an RFC 3339 date");
  return time;
}

/**
 * Reads and parses a trust file.
 * @throws HeraldError `E_TRUST` naming the file when it cannot be read, is not JSON, or is wrong.
 */
export function loadTrustFile(file: string): TrustStore {
  const text = readTextFile(file, "E_TRUST", "trust file");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new HeraldError("E_TRUST", `${file}: not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return parseTrustFile(value, file);
}

/** An empty trust store: every signed message is `unknown-key`. */
export function emptyTrustStore(): TrustStore {
  return parseTrustFile({ version: 1, keys: {} }, "no trust file");
}
