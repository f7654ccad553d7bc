/**
 * @herald/schemas: the topic catalogue (one TypeBox source per topic version), its JSON Schema
 * emission, a compiled registry for the SDK, and the metadata that presents a message to people.
 */
export { catalogue } from "./catalogue.js";
export { compileSchema } from "./compile-schema.js";
export { defineTopicSchema, type Severity, type TopicSchema, type TopicSchemaInit } from "./define-topic-schema.js";
export { type EmittedFile, emitSchemaFiles } from "./emit.js";
export type * from "./generated/topic-map.generated.js";
export {
  type CompiledPresentation,
  compilePresentation,
  genericPresentation,
  type PointerReader,
  presentData,
} from "./presentation/present-data.js";
export type { PresentationDocument, SeverityRule } from "./presentation/presentation-document.js";
export {
  type CompiledTemplate,
  compileTemplate,
  resolvePointer,
  templateFilters,
} from "./presentation/render-template.js";
export { createPresenter, type Presentation, type Presenter, present } from "./presentation.js";
export { type PresentedMessage, presentMessage } from "./presented-message.js";
export {
  createRegistryClient,
  type RegistryClient,
  type RegistryClientOptions,
} from "./registry/registry-client.js";
export {
  type RegistrationReading,
  readRegistration,
  registrationSignedBy,
  registrationSigningText,
  type SchemaRegistration,
  signRegistration,
  verifyRegistration,
} from "./registry/schema-registration.js";
export {
  catalogueEntries,
  committedSchemaDir,
  createSchemaRegistry,
  loadSchemaDirectory,
  type SchemaEntry,
} from "./schema-registry.js";
export {
  loadSchemaCatalogue,
  type SchemaCatalogue,
  type SchemaCatalogueOptions,
  type SchemaSource,
  schemaPackageField,
} from "./sources/schema-catalogue.js";
export {
  type SchemaRegistryConfig,
  type SchemasConfig,
  schemaRegistryConfigSection,
  schemasConfigSection,
} from "./sources/schemas-config.js";
export { type JsonSchemaDocument, jsonSchemaDialect, schemaFilePath, toJsonSchema } from "./to-json-schema.js";
