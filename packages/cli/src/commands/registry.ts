import { resolve } from "node:path";
import { loadAccessList, startRegistry } from "@herald/registry";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { runService } from "../run-service.js";

/** Flags of `herald registry`. */
export interface RegistryCommandOptions {
  port?: number;
  host?: string;
  data?: string;
  access?: string;
  config?: string;
}

/** `herald registry`: serves and admits schema versions until SIGINT or SIGTERM. */
export async function runRegistry(options: RegistryCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const accessFile = options.access === undefined ? config.registry.accessFile : resolve(io.cwd, options.access);
  if (accessFile === undefined)
    throw new CliError(
      "E_USAGE",
      "no access list: pass --access FILE or set access in [registry] (docs/schema-registry.md)",
    );
  const access = loadAccessList(accessFile);
  const dataDir = options.data === undefined ? config.registry.dataDir : resolve(io.cwd, options.data);
  const host = options.host ?? config.registry.host;
  await runService(io, "registry", undefined, async ({ logger, opsRoutes }) => {
    const registry = await startRegistry({
      dataDir,
      access,
      port: options.port ?? config.registry.port,
      host,
      logger,
      routes: opsRoutes(() => ({ ok: true, versions: registry.versions() })),
    });
    return {
      ready: `http://${host}:${registry.port}/schemas, ${registry.versions()} version(s) in ${dataDir}`,
      close: () => registry.close(),
      summary: () =>
        ` after registering ${registry.stats.registered} version(s) and refusing ${registry.stats.refused}`,
    };
  });
}

/** `herald registry`: its flags, beside the function that runs it. */
export const registryCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .addOption(
          new Option("--port <port>", "HTTP port (default: registry.port, 8790; 0: any free port)").argParser(port),
        )
        .option("--host <host>", "address to listen on (default: registry.host, 127.0.0.1)")
        .option("--data <dir>", "folder of registered versions (default: registry.data)")
        .option("--access <file>", "access list: which key may register which schema names (default: registry.access)"),
    ),
  action: (io) => (options) => runRegistry(options, io),
});
