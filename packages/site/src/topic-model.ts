import { diffSchemas, type SchemaChange, typeNamesOf, typeSourceOf } from "@herald/codegen";
import { catalogue, loadSchemaCatalogue, type SchemaCatalogue, type SchemaEntry } from "@herald/schemas";
import { createEnvelope, type Envelope, type JsonObject } from "@herald/sdk";
import { type FieldRow, fieldRows } from "./field-table.js";

/** One version of a topic, as its page shows it. */
export interface VersionDoc {
  version: string;
  dataschema: string;
  description: string;
  fields: FieldRow[];
  /** The JSON Schema document, as emitted to `packages/schemas/json`. */
  jsonSchema: Record<string, unknown>;
  /** An example envelope (the schema's first example as data) and its summary line. */
  example: Envelope;
  summary: string;
  link: string | undefined;
  usernames: string[];
  packages: string[];
  /** The generated TypeScript type, and its name (`GitReceiveV1`). */
  typeName: string;
  typeScript: string;
  /** Changes from the previous version of the topic, if any. */
  changes: SchemaChange[] | undefined;
}

/** A topic with every version, newest last. */
export interface TopicDoc {
  name: string;
  app: string;
  icon: string;
  emittedBy: string;
  /** Where its `TopicMap` is imported from: `@herald/schemas`, the schema package, or codegen's output. */
  typesFrom: string;
  description: string;
  versions: VersionDoc[];
}

/** Example envelopes use the documentation's prefix and environment, and a fixed id and time. */
const examplePrefix = "org.example.prod";
const exampleTime = new Date("2026-11-28T09:30:00.000Z");

/**
 * The documentation model of a composed catalogue (the built-in topics, the project's schema
 * packages and folders): topics by name, each version with its fields, JSON Schema, example, type
 * and diff from the version before. Built from the same catalogue the SDK checks with, so the site
 * can never describe a topic differently.
 */
export async function topicDocs(
  schemas: SchemaCatalogue = loadSchemaCatalogue({ packages: false }),
): Promise<TopicDoc[]> {
  const builtIn = new Map(catalogue.map((topic) => [topic.name, topic]));
  const byName = new Map<string, SchemaEntry[]>();
  for (const entry of schemas.entries) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  // The names codegen gives these types in one file, so a page and the generated TopicMap agree.
  const nameOf = typeNamesOf(
    [...new Set(schemas.entries.map((entry) => `${entry.name}@${entry.version.split(".")[0]}`))].map((key) => {
      const [name, major] = key.split("@") as [string, string];
      return { name, major: Number(major) };
    }),
  );
  const docs: TopicDoc[] = [];
  for (const [name, versions] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    versions.sort((a, b) => compareVersions(a.version, b.version));
    const app = name.split(".")[0] as string;
    const versionDocs: VersionDoc[] = [];
    for (const [index, entry] of versions.entries()) {
      const jsonSchema = entry.document as Record<string, unknown>;
      const examples = (jsonSchema.examples as unknown[] | undefined) ?? [];
      const previous = versions[index - 1];
      const example = createEnvelope({
        topic: `${examplePrefix}.${name}`,
        app,
        data: (examples[0] ?? {}) as JsonObject,
        dataschema: `herald:${name}/${entry.version}`,
        id: "0193a8c4-5b2e-7c1d-9e3f-1a2b3c4d5e6f",
        time: exampleTime,
        source: `/${app}/host01`,
      });
      const presentation = schemas.presenter.present(example);
      versionDocs.push({
        version: entry.version,
        dataschema: `herald:${name}/${entry.version}`,
        description: String(jsonSchema.description ?? ""),
        fields: fieldRows(jsonSchema),
        jsonSchema,
        example,
        summary: presentation.summary,
        link: presentation.link,
        usernames: presentation.usernames,
        packages: presentation.packages,
        typeName: nameOf(name, Number(entry.version.split(".")[0])),
        typeScript: await typeSourceOf(
          { name, version: entry.version, document: jsonSchema },
          nameOf(name, Number(entry.version.split(".")[0])),
        ),
        changes: previous === undefined ? undefined : diffSchemas(previous.document, jsonSchema).changes,
      });
    }
    const newest = versions[versions.length - 1] as SchemaEntry;
    const source = schemas.origins.get(`${name} ${newest.version}`);
    docs.push({
      name,
      app,
      icon: newest.presentation?.icon ?? "message-square",
      // The built-in topics name their integration; an app's topics are published by the package
      // or folder that brings their schemas.
      emittedBy: builtIn.get(name)?.emittedBy ?? source?.name ?? app,
      typesFrom:
        source === undefined || source.kind === "built-in"
          ? "@herald/schemas"
          : source.kind === "package"
            ? source.name
            : "./topic-map.js",
      description: versionDocs[versionDocs.length - 1]?.description ?? "",
      versions: versionDocs,
    });
  }
  return docs;
}

function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/**
 * A version's JSON Schema file, relative to the site's root, at a URL that never changes:
 * `schemas/git.receive/1.0.json` (the same layout as a schema folder and the registry service).
 */
export function schemaFilePath(name: string, version: string): string {
  return `schemas/${name}/${version}.json`;
}

/** The page of a topic, relative to the site's root: `topics/git.receive.html`. */
export function topicPath(name: string): string {
  return `topics/${name}.html`;
}
