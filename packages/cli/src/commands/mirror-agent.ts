import { resolve } from "node:path";
import { startMirrorAgent } from "@herald/integration-mirror";
import { Option } from "commander";
import { requireBusAddresses } from "../bus-transport.js";
import { CliError } from "../cli-error.js";
import { collect, port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { integrationDeliverer } from "../deliver.js";
import type { CommandIo } from "../io.js";
import { runService } from "../run-service.js";
import { trustFrom } from "./verify.js";

/** Flags of `herald mirror agent`. */
export interface MirrorAgentCommandOptions {
  role: string;
  name: string;
  tree: string;
  tier1?: string;
  source: string;
  dest: string;
  connect?: string[];
  trust?: string;
  http?: number;
  config?: string;
}

/**
 * `herald mirror agent --role tier1|tier2 ... -- rsync -a`: waits for its trigger on the bus (the
 * master in sync for a tier-1; its tier-1's completion for a tier-2) and runs the sync command on
 * the changed paths. Runs until SIGINT or SIGTERM.
 */
export async function runMirrorAgent(
  command: string[],
  options: MirrorAgentCommandOptions,
  io: CommandIo,
): Promise<void> {
  if (options.role !== "tier1" && options.role !== "tier2")
    throw new CliError("E_USAGE", "--role must be tier1 or tier2");
  if (options.role === "tier2" && options.tier1 === undefined)
    throw new CliError("E_USAGE", "a tier2 agent needs --tier1 NAME: the mirror it follows");
  if (command.length === 0) throw new CliError("E_USAGE", "no sync command: herald mirror agent ... -- rsync -a");
  const config = configFor(options, io);
  const trust = trustFrom(options, io);
  if (trust === undefined) throw new CliError("E_USAGE", "no trust file: pass --trust FILE or set trust_file");
  requireBusAddresses(config, options.connect);
  const ops = options.http === undefined ? undefined : { port: options.http, host: "127.0.0.1" };
  await runService(io, "mirror", ops, async ({ logger, metrics }) => {
    const deliverer = integrationDeliverer(config, io);
    const agent = await startMirrorAgent({
      config,
      trust,
      logger,
      connect: options.connect,
      role: options.role as "tier1" | "tier2",
      name: options.name,
      tree: options.tree,
      ...(options.tier1 === undefined ? {} : { tier1: options.tier1 }),
      source: resolve(io.cwd, options.source),
      dest: resolve(io.cwd, options.dest),
      command,
      publish: (message) => deliverer.deliver(message),
    });
    for (const source of agent.sources) metrics.add(source);
    return {
      ready: agent.description,
      health: () => ({ ok: true, mirror: options.name }),
      async close() {
        await agent.close();
        await deliverer.close();
      },
    };
  });
}

/** `herald mirror agent`: its arguments and flags, beside the function that runs it. */
export const mirrorAgentCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .requiredOption("--role <role>", "tier1 or tier2")
        .requiredOption("--name <name>", "this mirror's name")
        .requiredOption("--tree <tree>", "the mirrored tree, e.g. fedora")
        .option("--tier1 <name>", "for a tier2: the tier-1 mirror it follows")
        .requiredOption("--source <path>", "where to pull from (rsync source)")
        .requiredOption("--dest <path>", "where to pull to")
        .option(
          "--connect <address>",
          "publisher address to listen to (repeatable; default: every endpoint of the configuration)",
          collect,
        )
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .addOption(new Option("--http <port>", "serve /healthz and /metrics on this port (127.0.0.1)").argParser(port))
        .argument("<command...>", "the sync command without source and destination, after --: rsync -a --delete")
        .passThroughOptions(),
    ),
  action: (io) => (command, options) => runMirrorAgent(command, options, io),
});
