import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Logger, readBoundedJson, silentLogger, type TrustStore } from "@herald/sdk";
import { makeDirectory, parseDataschema } from "@herald/sdk/internal";
import type { SchemaEntry } from "../schema-registry.js";
import { verifyRegistration } from "./schema-registration.js";

/** Where a subscriber fetches schemas it does not know, and where it keeps them. */
export interface RegistryClientOptions {
  /** The registry service: `schema_registry = "http://…"` in herald.toml. */
  url: string;
  /** Verified registrations are kept here, one file per version, for every later start. */
  cacheDir: string;
  /** Served versions must be signed by a key of this trust file. */
  trust: TrustStore;
  /** How long a failed lookup is remembered before it is tried again (default 60 s). */
  failureTtlMs?: number;
  /** How long one request may take (default 5 s). */
  timeoutMs?: number;
  logger?: Logger;
  /** The clock failures are remembered by (default `Date.now`): a test moves its own. */
  now?: () => number;
}

/** A subscriber's side of a registry service. */
export interface RegistryClient {
  /** The service's URL, as configured. */
  readonly url: string;
  /** The versions kept on disk by earlier fetches, each verified again as it is read. */
  cached(): SchemaEntry[];
  /**
   * Fetches the version a `dataschema` names, verifies it and keeps it on disk; `undefined` when
   * the registry does not have it or cannot be reached (remembered for `failureTtlMs`, so an
   * unknown `dataschema` cannot make every message cost a request). Never rejects.
   */
  fetch(dataschema: string): Promise<SchemaEntry | undefined>;
  /** True while a failed lookup of `dataschema` is remembered: asking again would answer `undefined`. */
  failedRecently(dataschema: string): boolean;
  /** Requests made so far, for tests and `/metrics`. */
  readonly requests: number;
}

const maxRegistrationBytes = 512 * 1024;
const cacheFile = /^(\d+)\.(\d+)\.registration\.json$/;

/** The client of a registry service: a cache on disk (immutable versions), a memory of failures. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const logger = options.logger ?? silentLogger;
  const failureTtlMs = options.failureTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const base = options.url.replace(/\/+$/, "");
  const failedUntil = new Map<string, number>();
  const inFlight = new Map<string, Promise<SchemaEntry | undefined>>();
  let requests = 0;

  const fail = (dataschema: string, why: string): undefined => {
    if (failedUntil.size >= 10_000) failedUntil.clear();
    failedUntil.set(dataschema, now() + failureTtlMs);
    logger.warn(`schema registry ${base}: ${dataschema}: ${why}`);
    return undefined;
  };

  const load = async (dataschema: string): Promise<SchemaEntry | undefined> => {
    const parsed = parseDataschema(dataschema);
    if (parsed === undefined) return fail(dataschema, "not a herald: dataschema");
    const version = `${parsed.major}.${parsed.minor}`;
    requests++;
    let text: string;
    try {
      const response = await fetch(`${base}/schemas/${encodeURIComponent(parsed.name)}/${version}`, {
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        headers: { accept: "application/json" },
      });
      if (response.status === 404) return fail(dataschema, "not registered");
      if (!response.ok) return fail(dataschema, `answered ${response.status}`);
      text = await readLimited(response, maxRegistrationBytes);
    } catch (cause) {
      return fail(dataschema, `cannot fetch: ${(cause as Error).message}`);
    }
    const json = readBoundedJson(text, { maxBytes: maxRegistrationBytes });
    if (!json.ok) return fail(dataschema, `refused: ${json.detail}`);
    const reading = verifyRegistration(json.value, options.trust);
    if (!reading.ok) return fail(dataschema, `refused: ${reading.reason}`);
    if (reading.entry.name !== parsed.name || reading.entry.version !== version)
      return fail(dataschema, `refused: answered with ${reading.entry.name} ${reading.entry.version}`);
    keep(parsed.name, version, text);
    logger.info(`schema registry ${base}: fetched ${dataschema}`);
    return reading.entry;
  };

  const keep = (name: string, version: string, text: string) => {
    try {
      const folder = join(options.cacheDir, name);
      makeDirectory(folder);
      const file = join(folder, `${version}.registration.json`);
      // A whole file or none: a second process reading the cache never sees half a version.
      writeFileSync(`${file}.${process.pid}.tmp`, text);
      renameSync(`${file}.${process.pid}.tmp`, file);
    } catch (cause) {
      logger.warn(
        `schema registry cache ${options.cacheDir}: cannot keep ${name} ${version}: ${(cause as Error).message}`,
      );
    }
  };

  /** Reads one cached version; the reason it is ignored, if it is. */
  const readCached = (path: string, found: (entry: SchemaEntry) => void): string | undefined => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (cause) {
      return (cause as Error).message;
    }
    const json = readBoundedJson(bytes, { maxBytes: maxRegistrationBytes });
    if (!json.ok) return json.detail;
    const reading = verifyRegistration(json.value, options.trust);
    if (!reading.ok) return reading.reason;
    found(reading.entry);
    return undefined;
  };

  return {
    url: options.url,
    get requests() {
      return requests;
    },
    cached() {
      const entries: SchemaEntry[] = [];
      let names: string[];
      try {
        names = readdirSync(options.cacheDir);
      } catch {
        return entries;
      }
      for (const name of names.sort())
        for (const file of safeList(join(options.cacheDir, name))) {
          if (!cacheFile.test(file)) continue;
          const path = join(options.cacheDir, name, file);
          const why = readCached(path, (entry) => entries.push(entry));
          if (why !== undefined) logger.warn(`schema registry cache: ignoring ${path}: ${why}`);
        }
      return entries;
    },
    failedRecently: (dataschema) => (failedUntil.get(dataschema) ?? 0) > now(),
    fetch(dataschema) {
      if ((failedUntil.get(dataschema) ?? 0) > now()) return Promise.resolve(undefined);
      let pending = inFlight.get(dataschema);
      if (pending === undefined) {
        pending = load(dataschema).finally(() => inFlight.delete(dataschema));
        inFlight.set(dataschema, pending);
      }
      return pending;
    },
  };
}

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder).sort();
  } catch {
    return [];
  }
}

/** The body, refused past `limit` bytes without reading the rest. */
async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > limit) throw new Error(`answer of ${declared} bytes is over ${limit}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new Error(`answer is over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
