import { createRegistryClient, loadSchemaCatalogue, type SchemaCatalogue } from "@herald/schemas";
import { loadTrustFile } from "@herald/sdk";
import { CliError } from "./cli-error.js";
import type { CliConfig } from "./config-flag.js";
import type { CommandIo } from "./io.js";
import { stderrLogger } from "./stderr-logger.js";

/**
 * The schemas a command knows: the built-in catalogue, the schema packages the project in the
 * working directory depends on, the configuration's `schemas` folders and any `--schemas DIR`
 * (added, never replacing), and with `schema_registry = URL` the versions fetched from that service.
 */
export function schemaCatalogueFor(
  config: Pick<CliConfig, "schemas" | "schema_registry" | "trustFile">,
  io: CommandIo,
  extraFolders: readonly string[] = [],
): SchemaCatalogue {
  const service = config.schema_registry;
  if (service !== undefined && config.trustFile === undefined)
    throw new CliError(
      "E_USAGE",
      `schema_registry = ${service.url} needs trust_file: served schemas are verified with it`,
    );
  return loadSchemaCatalogue({
    cwd: io.cwd,
    folders: [...config.schemas, ...extraFolders],
    ...(service === undefined
      ? {}
      : {
          remote: createRegistryClient({
            url: service.url,
            cacheDir: service.cacheDir,
            trust: loadTrustFile(config.trustFile as string),
            logger: stderrLogger("schemas", io),
          }),
        }),
  });
}
