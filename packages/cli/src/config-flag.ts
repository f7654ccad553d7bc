import { type HeraldConfig, loadConfig } from "@herald/sdk";
import type { CommandIo } from "./io.js";

/** Loads the configuration the way every command does: `--config`, `HERALD_CONFIG`, default paths. */
export function configFor(options: { config?: string }, io: CommandIo): HeraldConfig {
  return loadConfig({ env: io.env, cwd: io.cwd, ...(options.config === undefined ? {} : { file: options.config }) });
}
