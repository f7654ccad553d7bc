import { type HeraldConfig, type Logger, type Transport, transportFromConfig } from "@herald/sdk";
import { CliError } from "./cli-error.js";

/**
 * Refuses to start a receiving command with nothing to connect to: a usage mistake (the user
 * passes `--connect`), not a failure of the service.
 * @throws CliError `E_USAGE`
 */
export function requireBusAddresses(config: HeraldConfig, connect: readonly string[] | undefined): void {
  if (config.transport !== "amqp" && (connect ?? Object.values(config.endpoints).flat()).length === 0)
    throw new CliError("E_USAGE", "nothing to connect to: pass --connect ADDRESS or set endpoints");
}

/**
 * The transport a receiving command uses (`transportFromConfig`), after {@link requireBusAddresses}.
 */
export async function receivingTransport(
  config: HeraldConfig,
  options: { connect?: string[] | undefined; queue?: string | undefined },
  logger: Logger,
): Promise<{ transport: Transport; from: string }> {
  requireBusAddresses(config, options.connect);
  const { transport, description } = await transportFromConfig(config, { direction: "receive", ...options, logger });
  return { transport, from: description };
}
