/** @herald/codegen: TypeScript types from topic JSON Schemas, and compatibility between versions. */
export { diffSchemas, type SchemaChange, type SchemaDiff } from "./diff-schemas.js";
export {
  generatedBanner,
  generateTypes,
  type SchemaInput,
  typeNameOf,
  typeNamesOf,
  typeSourceOf,
} from "./generate-types.js";
