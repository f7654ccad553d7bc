import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DataSchema, HeraldError, type SchemaLookup, type SchemaRegistry } from "@herald/sdk";
import { formatDataschema, parseDataschema } from "@herald/sdk/internal";
import { catalogue } from "./catalogue.js";
import { compileSchema } from "./compile-schema.js";
import { compilePresentation } from "./presentation/present-data.js";
import type { PresentationDocument } from "./presentation/presentation-document.js";
import { type JsonSchemaDocument, toJsonSchema } from "./to-json-schema.js";

/** One schema version as the registry holds it. */
export interface SchemaEntry {
  name: string;
  /** `<major>.<minor>` */
  version: string;
  document: JsonSchemaDocument;
  /** How messages of this version's major present themselves, when the source has a document. */
  presentation?: PresentationDocument;
  /** From a registry (not this machine's own files): its patterns match on a linear-time engine. */
  untrusted?: boolean;
}

/**
 * Builds a {@link SchemaRegistry} over schema versions. Each version is compiled the first time it
 * is used, then kept: never per message.
 */
export function createSchemaRegistry(entries: readonly SchemaEntry[] = catalogueEntries()): SchemaRegistry {
  // name → major → minor → entry
  const byName = new Map<string, Map<number, Map<number, SchemaEntry>>>();
  for (const entry of entries) {
    const [major, minor] = entry.version.split(".").map(Number) as [number, number];
    const majors = byName.get(entry.name) ?? new Map<number, Map<number, SchemaEntry>>();
    const minors = majors.get(major) ?? new Map<number, SchemaEntry>();
    minors.set(minor, entry);
    majors.set(major, minors);
    byName.set(entry.name, majors);
  }
  const compiled = new Map<SchemaEntry, DataSchema>();
  const compile = (entry: SchemaEntry) => {
    let schema = compiled.get(entry);
    if (schema === undefined) {
      schema = compileSchema(formatDataschema(entry.name, entry.version), entry.document, {
        untrusted: entry.untrusted === true,
      });
      compiled.set(entry, schema);
    }
    return schema;
  };
  const newest = <T>(map: Map<number, T>) => map.get(Math.max(...map.keys())) as T;

  return {
    latest(name) {
      const majors = byName.get(name);
      return majors === undefined ? undefined : compile(newest(newest(majors)));
    },
    lookup(dataschema): SchemaLookup {
      const parsed = parseDataschema(dataschema);
      const majors = parsed === undefined ? undefined : byName.get(parsed.name);
      if (parsed === undefined || majors === undefined) return { status: "unknown-schema", dataschema };
      const minors = majors.get(parsed.major);
      if (minors === undefined) return { status: "unknown-version", dataschema };
      // A newer minor than we know is, by the versioning policy, equivalent to our newest one.
      const entry = minors.get(parsed.minor) ?? newest(minors);
      return { status: "found", schema: compile(entry) };
    },
  };
}

/** The built-in catalogue as registry entries. */
export function catalogueEntries(): SchemaEntry[] {
  return catalogue.map((topic) => ({
    name: topic.name,
    version: topic.version,
    document: toJsonSchema(topic),
    presentation: presentationOfMajor(topic.name, topic.version),
  }));
}

/** The presentation of a name's major: the newest minor's, which presents the whole major. */
function presentationOfMajor(name: string, version: string): PresentationDocument {
  const major = version.split(".")[0];
  const versions = catalogue.filter((topic) => topic.name === name && topic.version.split(".")[0] === major);
  const newest = versions.reduce((a, b) => (Number(b.version.split(".")[1]) > Number(a.version.split(".")[1]) ? b : a));
  return newest.presentation;
}

const versionFile = /^(\d+)\.(\d+)\.json$/;
const majorPresentationFile = /^(\d+)\.presentation\.json$/;

/**
 * Reads JSON Schema files laid out as `<schema name>/<major>.<minor>.json` (what `npm run build`
 * of `@herald/schemas` emits, or an app's own), each with its major's presentation document:
 * `<name>/<major>.presentation.json`, else `<name>/presentation.json` for every major.
 * @throws HeraldError `E_SCHEMA` naming the file that cannot be read or is not JSON.
 */
export function loadSchemaDirectory(dir: string): SchemaEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());
  } catch (cause) {
    throw new HeraldError(
      "E_SCHEMA",
      `cannot read schema folder ${dir}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      { cause },
    );
  }
  const entries: SchemaEntry[] = [];
  const readJson = <T>(path: string): T => {
    try {
      return JSON.parse(readFileSync(path, "utf8")) as T;
    } catch (cause) {
      throw new HeraldError("E_SCHEMA", `${path}: not valid JSON: ${(cause as Error).message}`, { cause });
    }
  };
  for (const name of names.sort()) {
    const files = readdirSync(join(dir, name)).sort();
    const presentations = new Map<string, PresentationDocument>();
    for (const file of files) {
      const major = majorPresentationFile.exec(file)?.[1] ?? (file === "presentation.json" ? "*" : undefined);
      if (major === undefined) continue;
      const path = join(dir, name, file);
      const presentation = readJson<PresentationDocument>(path);
      try {
        compilePresentation(presentation);
      } catch (cause) {
        throw new HeraldError("E_SCHEMA", `${path}: ${(cause as Error).message}`, { cause });
      }
      presentations.set(major, presentation);
    }
    for (const file of files) {
      const match = versionFile.exec(file);
      if (match === null) continue;
      const document = readJson<JsonSchemaDocument>(join(dir, name, file));
      const presentation = presentations.get(match[1] as string) ?? presentations.get("*");
      entries.push({
        name,
        version: `${match[1]}.${match[2]}`,
        document,
        ...(presentation === undefined ? {} : { presentation }),
      });
    }
  }
  return entries;
}

/** The folder of this package's committed JSON Schema files (`json/`), as `npm run generate` wrote them. */
export const committedSchemaDir = fileURLToPath(new URL("../json", import.meta.url));
