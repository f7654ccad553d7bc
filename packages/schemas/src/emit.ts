import { catalogue } from "./catalogue.js";
import { catalogueEntries } from "./schema-registry.js";
import { schemaFilePath, toJsonSchema } from "./to-json-schema.js";

/** One file to write: a path relative to the output folder and its text. */
export interface EmittedFile {
  path: string;
  text: string;
}

/**
 * Every file of the emitted registry: one JSON Schema per version (`<name>/<major>.<minor>.json`),
 * one presentation document per name and major (`<name>/<major>.presentation.json`), and
 * `index.json` listing the versions with their metadata. A pure function: the caller writes.
 */
export function emitSchemaFiles(): EmittedFile[] {
  const files = catalogue.map((topic) => ({
    path: schemaFilePath(topic.name, topic.version),
    text: `${JSON.stringify(toJsonSchema(topic), null, 2)}\n`,
  }));
  // One presentation document per name and major, the newest minor's (entries agree per major).
  const presentations = new Map<string, EmittedFile>();
  for (const entry of catalogueEntries()) {
    const path = `${entry.name}/${entry.version.split(".")[0]}.presentation.json`;
    presentations.set(path, { path, text: `${JSON.stringify(entry.presentation, null, 2)}\n` });
  }
  files.push(...presentations.values());
  const index = catalogue.map((topic) => ({
    name: topic.name,
    version: topic.version,
    app: topic.app,
    description: topic.description,
    emittedBy: topic.emittedBy,
    icon: topic.icon,
    file: schemaFilePath(topic.name, topic.version),
  }));
  files.push({ path: "index.json", text: `${JSON.stringify({ schemas: index }, null, 2)}\n` });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
