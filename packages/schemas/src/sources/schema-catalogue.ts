import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { HeraldError, type SchemaRegistry } from "@herald/sdk";
import { createPresenter, type Presenter } from "../presentation.js";
import type { RegistryClient } from "../registry/registry-client.js";
import { catalogueEntries, createSchemaRegistry, loadSchemaDirectory, type SchemaEntry } from "../schema-registry.js";

/** Where a catalogue's schemas came from, for `herald schema list` and for error messages. */
export interface SchemaSource {
  kind: "built-in" | "package" | "folder" | "registry";
  /** `@herald/schemas`, the package's name, the folder's path, or the registry service's URL. */
  name: string;
  /** The folder read (none for the built-in catalogue). */
  location?: string;
  entries: number;
}

/** Every schema version a process knows, from every source, with its registry and presenter. */
export interface SchemaCatalogue {
  readonly entries: readonly SchemaEntry[];
  readonly sources: readonly SchemaSource[];
  /** The source of each version, by `<name> <major>.<minor>`: the first that defined it. */
  readonly origins: ReadonlyMap<string, SchemaSource>;
  /** Validates data (`createBus({ schemas })`, `herald validate`). */
  readonly registry: SchemaRegistry;
  /** Presents messages from their schemas' presentation documents. */
  readonly presenter: Presenter;
}

/** What {@link loadSchemaCatalogue} composes. */
export interface SchemaCatalogueOptions {
  /** The project folder: its package.json's dependencies are searched for schema packages. */
  cwd?: string;
  /** Folders of `<name>/<major>.<minor>.json` (`schemas = […]` in herald.toml, `--schemas DIR`). */
  folders?: readonly string[];
  /** The built-in catalogue (default true). */
  builtIn?: boolean;
  /** Schema packages among the project's dependencies (default true). */
  packages?: boolean;
  /**
   * A registry service (`schema_registry = URL`): its versions cached on disk are known from the
   * start, and a `dataschema` no other source knows is fetched once, when a message names it.
   */
  remote?: RegistryClient;
}

/**
 * The field of a schema package's `package.json` that names its folder of JSON Schema files:
 * `"herald": { "schemas": "json" }` (docs/schemas.md).
 */
export const schemaPackageField = "herald.schemas";

interface Loaded {
  source: SchemaSource;
  entries: SchemaEntry[];
}

const packageCache = new Map<string, Loaded[]>();

/**
 * Composes one catalogue from the built-in topics, the schema packages the project depends on
 * (found through its `package.json`, read once per process), and folders. The same version from
 * two sources must be the same document: otherwise it is an error naming both.
 * @throws HeraldError `E_SCHEMA` naming the source and file that cannot be read, or the two sources
 *   that define one version differently.
 */
export function loadSchemaCatalogue(options: SchemaCatalogueOptions = {}): SchemaCatalogue {
  const loaded: Loaded[] = [];
  if (options.builtIn !== false) {
    const entries = catalogueEntries();
    loaded.push({ source: { kind: "built-in", name: "@herald/schemas", entries: entries.length }, entries });
  }
  if (options.packages !== false) loaded.push(...schemaPackages(options.cwd ?? process.cwd()));
  for (const folder of options.folders ?? []) {
    const location = resolve(options.cwd ?? process.cwd(), folder);
    const entries = loadSchemaDirectory(location);
    loaded.push({ source: { kind: "folder", name: folder, location, entries: entries.length }, entries });
  }
  const remote = options.remote;
  if (remote !== undefined) {
    const entries = remote.cached();
    loaded.push({ source: { kind: "registry", name: remote.url, entries: entries.length }, entries });
  }
  const merged = merge(loaded);
  let registry = createSchemaRegistry(merged.entries);
  let presenter = createPresenter(merged.entries);
  const sources = loaded.map((item) => item.source);
  const learn = (entry: SchemaEntry) => {
    const key = `${entry.name} ${entry.version}`;
    if (merged.origins.has(key)) return;
    const source = sources.find((item) => item.kind === "registry") as SchemaSource;
    source.entries++;
    merged.entries.push(entry);
    merged.origins.set(key, source);
    // Rare (once per version fetched), so both are simply built again over every entry.
    registry = createSchemaRegistry(merged.entries);
    presenter = createPresenter(merged.entries);
  };
  return {
    entries: merged.entries,
    origins: merged.origins,
    sources,
    registry: {
      latest: (name) => registry.latest(name),
      lookup: (dataschema) => registry.lookup(dataschema),
      ...(remote === undefined
        ? {}
        : {
            prepare(dataschema: string) {
              if (registry.lookup(dataschema).status === "found" || remote.failedRecently(dataschema)) return undefined;
              return remote.fetch(dataschema).then((entry) => {
                if (entry !== undefined) learn(entry);
              });
            },
          }),
    },
    presenter: { present: (envelope, schemaName) => presenter.present(envelope, schemaName) },
  };
}

/** One entry per version; a version two sources define differently is an error naming both. */
function merge(loaded: readonly Loaded[]): { entries: SchemaEntry[]; origins: Map<string, SchemaSource> } {
  const byVersion = new Map<string, { entry: SchemaEntry; source: SchemaSource }>();
  const presentations = new Map<string, { text: string; source: SchemaSource }>();
  const describe = (source: SchemaSource) =>
    source.kind === "built-in" ? "the built-in catalogue" : `${source.kind} ${source.name}`;
  for (const { source, entries } of loaded)
    for (const entry of entries) {
      const key = `${entry.name} ${entry.version}`;
      const seen = byVersion.get(key);
      if (seen === undefined) byVersion.set(key, { entry, source });
      else if (JSON.stringify(seen.entry.document) !== JSON.stringify(entry.document))
        throw new HeraldError(
          "E_SCHEMA",
          `${entry.name} ${entry.version} is defined differently by ${describe(seen.source)} and by ${describe(source)}`,
        );
      if (entry.presentation === undefined) continue;
      const major = `${entry.name} ${entry.version.split(".")[0]}`;
      const text = JSON.stringify(entry.presentation);
      const shown = presentations.get(major);
      if (shown === undefined) presentations.set(major, { text, source });
      else if (shown.text !== text && shown.source !== source)
        throw new HeraldError(
          "E_SCHEMA",
          `the presentation of ${major.replace(" ", " major ")} differs between ${describe(shown.source)} and ${describe(source)}`,
        );
    }
  return {
    entries: [...byVersion.values()].map(({ entry }) => entry),
    origins: new Map([...byVersion].map(([key, { source }]) => [key, source])),
  };
}

/** The nearest package.json at or above `dir`. */
function projectManifest(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const file = join(at, "package.json");
    if (existsSync(file)) return file;
    if (dirname(at) === at) return undefined;
  }
}

/** Where Node would find `name` from `dir`: the first `node_modules/<name>` going up. */
function packageFolder(dir: string, name: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * The schema packages among the project's declared dependencies (not all of node_modules, which a
 * git hook would pay for on every push), each read once per process.
 */
function schemaPackages(cwd: string): Loaded[] {
  const manifestFile = projectManifest(cwd);
  if (manifestFile === undefined) return [];
  const key = `${manifestFile}:${statSync(manifestFile).mtimeMs}`;
  const cached = packageCache.get(key);
  if (cached !== undefined) return cached;
  const manifest = readJsonFile(manifestFile) as Record<string, Record<string, string> | undefined>;
  const names = new Set(
    ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].flatMap((field) =>
      Object.keys(manifest[field] ?? {}),
    ),
  );
  const found: Loaded[] = [];
  for (const name of [...names].sort()) {
    const folder = packageFolder(dirname(manifestFile), name);
    if (folder === undefined) continue;
    const dependency = readJsonFile(join(folder, "package.json")) as { herald?: { schemas?: unknown } };
    const schemas = dependency.herald?.schemas;
    if (schemas === undefined) continue;
    if (typeof schemas !== "string")
      throw new HeraldError("E_SCHEMA", `${join(folder, "package.json")}: herald.schemas must name a folder`);
    const location = resolve(folder, schemas);
    const entries = loadSchemaDirectory(location);
    found.push({ source: { kind: "package", name, location, entries: entries.length }, entries });
  }
  packageCache.set(key, found);
  return found;
}

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new HeraldError("E_SCHEMA", `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
}
