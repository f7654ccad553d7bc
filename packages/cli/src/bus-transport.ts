import {
  type Bus,
  createBus,
  type HeraldConfig,
  type Logger,
  type Policy,
  type Transport,
  type TrustStore,
  transportFromConfig,
} from "@herald/sdk";
import { CliError } from "./cli-error.js";

/**
 * The transport a receiving command uses (`transportFromConfig`), where "nothing to connect to" is a
 * usage mistake: the user passes `--connect`.
 */
export async function receivingTransport(
  config: HeraldConfig,
  options: { connect?: string[] | undefined; queue?: string | undefined },
  logger: Logger,
): Promise<{ transport: Transport; from: string }> {
  if (config.transport !== "amqp" && (options.connect ?? Object.values(config.endpoints).flat()).length === 0)
    throw new CliError("E_USAGE", "nothing to connect to: pass --connect ADDRESS or set endpoints");
  const { transport, description } = await transportFromConfig(config, { direction: "receive", ...options, logger });
  return { transport, from: description };
}

/** The bus a receiving command reads: {@link receivingTransport} under the command's trust and policy. */
export async function receivingBus(
  config: HeraldConfig,
  options: {
    connect?: string[] | undefined;
    queue?: string | undefined;
    trust?: TrustStore | undefined;
    policy: Policy;
  },
  logger: Logger,
): Promise<{ bus: Bus; transport: Transport; from: string }> {
  const { transport, from } = await receivingTransport(config, options, logger);
  const bus = createBus({
    transport,
    policy: options.policy,
    ...(options.trust === undefined ? {} : { trust: options.trust }),
  });
  return { bus, transport, from };
}
