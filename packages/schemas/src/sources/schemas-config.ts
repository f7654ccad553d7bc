import { defineConfigSection } from "@herald/sdk";
import { Type } from "@sinclair/typebox";

/** The schema folders of the configuration: `config.schemas`, absolute paths. */
export interface SchemasConfig {
  schemas: string[];
}

/**
 * `schemas = ["schemas/"]`: folders of an app's own `<name>/<major>.<minor>.json` files, added to
 * the built-in catalogue and the schema packages the project depends on. Paths are relative to
 * the file that names them.
 */
export const schemasConfigSection = defineConfigSection({
  key: "schemas",
  schema: Type.Array(Type.String({ minLength: 1 }), { description: "folders of JSON Schema files" }),
  environment: { HERALD_SCHEMAS: { path: [], list: true } },
  resolve(value, context): string[] {
    return ((value as string[] | undefined) ?? []).map((folder) => context.path("schemas", folder) as string);
  },
});
