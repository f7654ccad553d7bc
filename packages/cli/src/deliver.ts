import type { Logger } from "@herald/sdk";
import { createDeliverer, type Deliverer } from "@herald/transport-zeromq";
import type { CliConfig } from "./config-flag.js";
import type { CommandIo } from "./io.js";
import { schemaCatalogueFor } from "./schema-catalogue.js";

/**
 * The deliverer of an integration command (a git hook, `herald build`): publish or spool with every
 * schema the project knows, each problem one `herald: …` line on stderr as a hook's user expects.
 */
export function integrationDeliverer(config: CliConfig, io: CommandIo): Deliverer {
  const line = (message: string) => io.stderr.write(`herald: ${message}\n`);
  const logger: Logger = { info: line, warn: line, error: line };
  return createDeliverer(config, { registry: schemaCatalogueFor(config, io).registry, logger });
}
