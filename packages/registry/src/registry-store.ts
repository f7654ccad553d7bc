import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { readRegistration, type SchemaEntry, type SchemaRegistration } from "@herald/schemas";
import { HeraldError, readBoundedJson } from "@herald/sdk";
import { makeDirectory } from "@herald/sdk/internal";

/** One registered version: what is served, byte for byte, and its entity tag. */
export interface StoredVersion {
  registration: SchemaRegistration;
  entry: SchemaEntry;
  /** The served JSON text of the registration. */
  text: string;
  etag: string;
}

/** The registered versions, held in memory and written through to a folder. */
export interface RegistryStore {
  get(name: string, version: string): StoredVersion | undefined;
  /** Every version, by name then major then minor. */
  list(): StoredVersion[];
  /** The versions of one name and major. */
  major(name: string, major: number): StoredVersion[];
  /** Writes a version so it survives a crash (file and folder synced) before it is served. */
  put(registration: SchemaRegistration): StoredVersion;
}

const versionFile = /^(\d+)\.(\d+)\.registration\.json$/;

/**
 * Opens the folder of a registry's versions (`<data>/<name>/<major>.<minor>.registration.json`),
 * reading every one at start: a registry holds schemas, not messages, so they fit in memory.
 * @throws HeraldError `E_CONFIG` when the folder cannot be made or a file in it is not a registration.
 */
export function openRegistryStore(dataDir: string): RegistryStore {
  const versions = new Map<string, StoredVersion>();
  const key = (name: string, version: string) => `${name} ${version}`;
  const stored = (registration: SchemaRegistration, entry: SchemaEntry, text: string): StoredVersion => ({
    registration,
    entry,
    text,
    etag: `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`,
  });
  try {
    makeDirectory(dataDir);
  } catch (cause) {
    throw new HeraldError("E_CONFIG", `cannot make registry folder ${dataDir}: ${(cause as Error).message}`);
  }
  for (const name of readdirSync(dataDir).sort()) {
    if (name.startsWith(".")) continue;
    for (const file of readdirSync(join(dataDir, name)).sort()) {
      if (!versionFile.test(file)) continue;
      const path = join(dataDir, name, file);
      const text = readFileSync(path, "utf8");
      const json = readBoundedJson(text);
      const reading = json.ok ? readRegistration(json.value) : { ok: false as const, reason: json.detail };
      if (!reading.ok) throw new HeraldError("E_CONFIG", `${path}: not a registration: ${reading.reason}`);
      const registration = (json as { value: SchemaRegistration }).value;
      versions.set(key(registration.name, registration.version), stored(registration, reading.entry, text));
    }
  }
  const order = (a: StoredVersion, b: StoredVersion) => {
    const [am, an] = a.entry.version.split(".").map(Number) as [number, number];
    const [bm, bn] = b.entry.version.split(".").map(Number) as [number, number];
    return a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : am - bm || an - bn;
  };
  return {
    get: (name, version) => versions.get(key(name, version)),
    list: () => [...versions.values()].sort(order),
    major: (name, major) =>
      [...versions.values()]
        .filter((item) => item.entry.name === name && item.entry.version.startsWith(`${major}.`))
        .sort(order),
    put(registration) {
      const reading = readRegistration(registration);
      if (!reading.ok) throw new HeraldError("E_SCHEMA", reading.reason);
      const text = `${JSON.stringify(registration, null, 2)}\n`;
      const folder = join(dataDir, registration.name);
      makeDirectory(folder);
      const file = join(folder, `${registration.version}.registration.json`);
      writeDurably(file, text);
      syncFolder(folder);
      syncFolder(dataDir);
      const item = stored(registration, reading.entry, text);
      versions.set(key(registration.name, registration.version), item);
      return item;
    },
  };
}

/** Writes a whole file or none: a temporary file, synced, renamed over the target. */
function writeDurably(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w", 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** Syncs a folder, so a rename or a new file in it survives a crash. */
function syncFolder(folder: string): void {
  const fd = openSync(folder, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
