import { defineConfigSection } from "@herald/sdk";
import { type Static, Type } from "@sinclair/typebox";

/** The `[registry]` table of `herald.toml`. */
export const registryConfigSchema = Type.Object(
  {
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    host: Type.Optional(Type.String()),
    data: Type.Optional(Type.String({ minLength: 1, description: "folder of registered versions" })),
    access: Type.Optional(Type.String({ minLength: 1, description: "access list: which key registers which names" })),
  },
  { additionalProperties: false },
);

/** Where `herald registry` listens and keeps its versions. */
export interface RegistrySettings {
  port: number;
  host: string;
  /** Default: `$XDG_STATE_HOME/herald/registry`. */
  dataDir: string;
  accessFile?: string;
}

/** The configuration of a registry service: `config.registry`. */
export interface RegistryConfig {
  registry: RegistrySettings;
}

/** The default port of `herald registry`. */
export const defaultRegistryPort = 8790;

/** `[registry]`, the registry service's section of `herald.toml`. */
export const registryConfigSection = defineConfigSection({
  key: "registry",
  schema: registryConfigSchema,
  defaults: { port: defaultRegistryPort, host: "127.0.0.1" },
  environment: {
    HERALD_REGISTRY_PORT: { path: ["port"], integer: true },
    HERALD_REGISTRY_HOST: { path: ["host"] },
    HERALD_REGISTRY_DATA: { path: ["data"] },
    HERALD_REGISTRY_ACCESS: { path: ["access"] },
  },
  resolve(value, context): RegistrySettings {
    const registry = value as Static<typeof registryConfigSchema>;
    const accessFile = context.path("registry.access", registry.access);
    return {
      port: registry.port ?? defaultRegistryPort,
      host: registry.host ?? "127.0.0.1",
      dataDir: context.path("registry.data", registry.data) ?? `${context.stateDir}/registry`,
      ...(accessFile === undefined ? {} : { accessFile }),
    };
  },
});
