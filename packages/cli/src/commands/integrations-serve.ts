import { startBuildbotReceiver } from "@herald/integration-build";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import { integrationDeliverer } from "../deliver.js";
import type { CommandIo } from "../io.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";

/** `herald integrations serve buildbot --port P`: a receiver for Buildbot's HttpStatusPush. */
export async function runIntegrationsServe(
  app: string,
  options: { port: number; host?: string; config?: string },
  io: CommandIo,
): Promise<void> {
  if (app !== "buildbot") throw new CliError("E_USAGE", `nothing to serve for ${JSON.stringify(app)}: known: buildbot`);
  const config = configFor(options, io);
  const logger = stderrLogger("buildbot", io);
  const deliverer = integrationDeliverer(config, io);
  const receiver = await startBuildbotReceiver({
    port: options.port,
    ...(options.host === undefined ? {} : { host: options.host }),
    publish: (message) => deliverer.deliver(message),
    log: (line) => logger.warn(line),
  }).catch((error: unknown) => {
    throw new CliError("E_USAGE", `cannot listen on port ${options.port}: ${(error as Error).message}`);
  });
  logger.info(`ready: POST Buildbot reports to http://${options.host ?? "127.0.0.1"}:${receiver.port}/`);
  await untilStopped();
  await receiver.close();
  await deliverer.close();
}
