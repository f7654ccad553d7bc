import { startBuildbotReceiver } from "@herald/integration-build";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { integrationDeliverer } from "../deliver.js";
import type { CommandIo } from "../io.js";
import { runService } from "../run-service.js";

/** `herald integrations serve buildbot --port P`: a receiver for Buildbot's HttpStatusPush. */
export async function runIntegrationsServe(
  app: string,
  options: { port: number; host?: string; config?: string },
  io: CommandIo,
): Promise<void> {
  if (app !== "buildbot") throw new CliError("E_USAGE", `nothing to serve for ${JSON.stringify(app)}: known: buildbot`);
  const config = configFor(options, io);
  await runService(io, "buildbot", undefined, async ({ logger }) => {
    const deliverer = integrationDeliverer(config, io);
    const receiver = await startBuildbotReceiver({
      port: options.port,
      ...(options.host === undefined ? {} : { host: options.host }),
      publish: (message) => deliverer.deliver(message),
      log: (line) => logger.warn(line),
    }).catch(async (error: unknown) => {
      await deliverer.close();
      throw new CliError("E_USAGE", `cannot listen on port ${options.port}: ${(error as Error).message}`);
    });
    return {
      ready: `POST Buildbot reports to http://${options.host ?? "127.0.0.1"}:${receiver.port}/`,
      async close() {
        await receiver.close();
        await deliverer.close();
      },
    };
  });
}

/** `herald integrations serve`: its arguments and flags, beside the function that runs it. */
export const integrationsServeCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .argument("<app>", "buildbot")
        .addOption(new Option("--port <port>", "port to listen on").argParser(port).makeOptionMandatory())
        .option("--host <host>", "address to listen on", "127.0.0.1"),
    ),
  action: (io) => (app, options) => runIntegrationsServe(app, options, io),
});
