import { startBridges } from "@herald/bridge";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { collect, port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { signingKeyFrom } from "./sign.js";

/** Flags of `herald bridge`. */
export interface BridgeCommandOptions {
  only?: string[];
  http?: number | false;
  trust?: string;
  insecure?: boolean;
  key?: string;
  keyid?: string;
  config?: string;
}

/**
 * `herald bridge`: runs the `[[bridges]]` of the configuration (or those named by `--only`) until
 * SIGINT or SIGTERM, with `/healthz` and `/metrics` on the bridge's HTTP port.
 */
export async function runBridge(options: BridgeCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const chosen = config.bridges.filter((bridge) => options.only === undefined || options.only.includes(bridge.name));
  const unknown = options.only?.filter((name) => !config.bridges.some((bridge) => bridge.name === name)) ?? [];
  if (unknown.length > 0) throw new CliError("E_USAGE", `no bridge named ${unknown.join(", ")} in the configuration`);
  if (chosen.length === 0)
    throw new CliError("E_USAGE", "no bridges configured: add [[bridges]] to herald.toml (see docs/bridges.md)");
  const { trust, policy } = receivingTrust(options, config, io, "bridge unverified messages", "bridge");
  const signingKey = signingKeyFrom(options, io);
  const port = options.http === false ? undefined : (options.http ?? config.bridge.httpPort);
  const ops = port === undefined ? undefined : { port, host: config.bridge.httpHost };
  await runService(io, "bridge", ops, async ({ logger, metrics }) => {
    const bridges = await startBridges({ config, bridges: chosen, trust, policy, signingKey, logger });
    for (const source of bridges.sources) metrics.add(source);
    return {
      ready: `${bridges.names.join(", ")} on ${bridges.description}`,
      health: bridges.health,
      close: bridges.close,
    };
  });
}

/** `herald bridge`: its arguments and flags, beside the function that runs it. */
export const bridgeCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--only <name>", "run only this bridge (repeatable; default: every configured bridge)", collect)
        .addOption(
          new Option("--http <port>", "serve /healthz and /metrics here (default: bridge.http_port)").argParser(port),
        )
        .option("--no-http", "serve no /healthz and /metrics")
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "bridge every well-formed message without verifying it")
        .option("--key <file>", "sign converted messages with this key (default: key_file of the configuration)")
        .option("--keyid <id>", "the key's id"),
    ),
  action: (io) => (options) => runBridge(options, io),
});
