import type { TopicSchema } from "./define-topic-schema.js";

/** A JSON Schema document as emitted: plain JSON. */
export type JsonSchemaDocument = Record<string, unknown>;

/** The draft of every emitted schema. */
export const jsonSchemaDialect = "https://json-schema.org/draft/2020-12/schema";

/**
 * The JSON Schema (draft 2020-12) document of one schema version: `$id` is its `dataschema`
 * (`herald:git.receive/1.0`), with its description and examples. Plain JSON: TypeBox's symbols dropped.
 */
export function toJsonSchema(topic: TopicSchema): JsonSchemaDocument {
  const body = JSON.parse(JSON.stringify(topic.schema)) as JsonSchemaDocument;
  return {
    $schema: jsonSchemaDialect,
    $id: `herald:${topic.name}/${topic.version}`,
    title: `${topic.name} ${topic.version}`,
    description: topic.description,
    ...body,
    examples: topic.examples,
  };
}

/** The relative path of a schema version's file: `<name>/<major>.<minor>.json`. */
export function schemaFilePath(name: string, version: string): string {
  return `${name}/${version}.json`;
}
