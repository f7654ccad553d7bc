import { join } from "node:path";
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

/** The registry service of the configuration, when it names one. */
export interface SchemaRegistryConfig {
  schema_registry:
    | {
        /** The service, e.g. `http://registry.example:8790`. */
        url: string;
        /** Where fetched versions are kept, one folder per service: `$XDG_STATE_HOME/herald/schema-cache/<host_port>`. */
        cacheDir: string;
      }
    | undefined;
}

/**
 * `schema_registry = "http://…"`: a registry service (`herald registry`) a subscriber asks for a
 * `dataschema` no other source knows, once; what it serves is verified with the trust file and kept.
 */
export const schemaRegistryConfigSection = defineConfigSection({
  key: "schema_registry",
  schema: Type.String({ minLength: 1, description: "URL of a schema registry service" }),
  environment: { HERALD_SCHEMA_REGISTRY: { path: [] } },
  resolve(value, context): SchemaRegistryConfig["schema_registry"] {
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value as string);
    } catch {
      return context.fail("schema_registry", "must be an http:// or https:// URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      context.fail("schema_registry", "must be an http:// or https:// URL");
    const folder = `${url.hostname}_${url.port || (url.protocol === "https:" ? "443" : "80")}${url.pathname.replace(/[^A-Za-z0-9]+/g, "_").replace(/_+$/, "")}`;
    return { url: url.href.replace(/\/+$/, ""), cacheDir: join(context.stateDir, "schema-cache", folder) };
  },
});
