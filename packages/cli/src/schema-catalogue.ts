import { join } from "node:path";
import { createRegistryClient, loadSchemaCatalogue, type SchemaCatalogue } from "@herald/schemas";
import { loadTrustFile } from "@herald/sdk";
import { CliError } from "./cli-error.js";
import type { CliConfig } from "./config-flag.js";
import type { CommandIo } from "./io.js";
import { stderrLogger } from "./stderr-logger.js";

/**
 * The schemas a command knows: the built-in catalogue, the schema packages the project in the
 * working directory depends on, the configuration's `schemas` folders and any `--schemas DIR`
 * (added, never replacing), and with `schema_registry = URL` the versions fetched from that service,
 * cached in a folder of the command's own (`service`: relay, store, gateway, …; `cli` for the rest).
 */
export function schemaCatalogueFor(
  config: Pick<CliConfig, "schemas" | "schema_registry" | "trustFile">,
  io: CommandIo,
  extraFolders: readonly string[] = [],
  service = "cli",
): SchemaCatalogue {
  const registry = config.schema_registry;
  if (registry !== undefined && config.trustFile === undefined)
    throw new CliError(
      "E_USAGE",
      `schema_registry = ${registry.url} needs trust_file: served schemas are verified with it`,
    );
  return loadSchemaCatalogue({
    cwd: io.cwd,
    folders: [...config.schemas, ...extraFolders],
    ...(registry === undefined
      ? {}
      : {
          remote: createRegistryClient({
            url: registry.url,
            // One cache per service: what one process fetched is never another's to trust blindly
            // (each entry is verified and compiled again when read, whoever wrote it).
            cacheDir: join(registry.cacheDir, service),
            trust: loadTrustFile(config.trustFile as string),
            logger: stderrLogger("schemas", io),
          }),
        }),
  });
}
