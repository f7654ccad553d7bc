import { createSchemaRegistry } from "@herald/schemas";
import type { HeraldConfig, Logger } from "@herald/sdk";
import { createDeliverer, type Deliverer } from "@herald/transport-zeromq";
import type { CommandIo } from "./io.js";

/**
 * The deliverer of an integration command (a git hook, `herald build`): publish or spool with the
 * built-in schemas, each problem one `herald: …` line on stderr as a hook's user expects.
 */
export function integrationDeliverer(config: HeraldConfig, io: CommandIo): Deliverer {
  const line = (message: string) => io.stderr.write(`herald: ${message}\n`);
  const logger: Logger = { info: line, warn: line, error: line };
  return createDeliverer(config, { registry: createSchemaRegistry(), logger });
}
