import { startIrcService } from "@herald/irc";
import { Option } from "commander";
import { requireBusAddresses } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { collect, port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";

/** Flags of `herald irc`. */
export interface IrcCommandOptions {
  connect?: string[];
  http?: number | false;
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald irc`: joins the `[irc]` server's channels and posts each matching message's summary
 * line there, colored, with its link, within a flood-safe rate; reconnects on its own. Stops on
 * SIGINT or SIGTERM.
 */
export async function runIrc(options: IrcCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { irc } = config;
  if (irc.channels.length === 0) throw new CliError("E_USAGE", "no channels: add [[irc.channels]] to herald.toml");
  requireBusAddresses(config, options.connect);
  const { trust, policy } = receivingTrust(options, config, io, "post unverified messages", "irc");
  const port = options.http === false ? undefined : (options.http ?? irc.httpPort);
  await runService(
    io,
    "irc",
    port === undefined ? undefined : { port, host: irc.httpHost },
    async ({ logger, metrics }) => {
      const service = await startIrcService({
        config,
        trust,
        policy,
        logger,
        connect: options.connect,
        catalogue: schemaCatalogueFor(config, io, [], "irc"),
      });
      for (const source of service.sources) metrics.add(source);
      return { ready: service.description, health: service.health, close: service.close };
    },
  );
}

/** `herald irc`: its arguments and flags, beside the function that runs it. */
export const ircCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
        .addOption(
          new Option("--http <port>", "serve /healthz and /metrics here (default: irc.http_port)").argParser(port),
        )
        .option("--no-http", "serve no /healthz and /metrics")
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "post unverified messages too"),
    ),
  action: (io) => (options) => runIrc(options, io),
});
