import { loadSchemaCatalogue, type SchemaCatalogue } from "@herald/schemas";
import type { CliConfig } from "./config-flag.js";
import type { CommandIo } from "./io.js";

/**
 * The schemas a command knows: the built-in catalogue, the schema packages the project in the
 * working directory depends on, the configuration's `schemas` folders and any `--schemas DIR`
 * (added, never replacing).
 */
export function schemaCatalogueFor(
  config: Pick<CliConfig, "schemas">,
  io: CommandIo,
  extraFolders: readonly string[] = [],
): SchemaCatalogue {
  return loadSchemaCatalogue({ cwd: io.cwd, folders: [...config.schemas, ...extraFolders] });
}
