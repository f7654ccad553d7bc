import { resolve } from "node:path";
import { createMirrorAgent, triggerEvent } from "@herald/integration-mirror";
import { admissionSource, createCommandMetrics, opsRoutes, serveOps } from "@herald/ops";
import { createSchemaRegistry } from "@herald/schemas";
import { createBus, policyFromConfig } from "@herald/sdk";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import { integrationDeliverer } from "../deliver.js";
import type { CommandIo } from "../io.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";
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
  const connect = options.connect ?? Object.values(config.endpoints).flat();
  const logger = stderrLogger("mirror", io);
  const deliverer = integrationDeliverer(config, io);
  const agent = createMirrorAgent({
    role: options.role,
    name: options.name,
    tree: options.tree,
    ...(options.tier1 === undefined ? {} : { tier1: options.tier1 }),
    source: resolve(io.cwd, options.source),
    dest: resolve(io.cwd, options.dest),
    command,
    publish: (message) => deliverer.deliver(message),
    log: (line) => logger.info(line),
  });
  const bus = createBus({
    transport: await createZeroMqTransport({ connect }),
    trust,
    policy: policyFromConfig(config),
    schemas: createSchemaRegistry(),
  });
  const head = `${config.prefix}.${config.environment}.`;
  const subscription = await bus.subscribe([`${head}mirror.#`]);
  const metrics = createCommandMetrics("mirror");
  metrics.add(admissionSource("subscription", () => subscription.stats));
  const ops =
    options.http === undefined
      ? undefined
      : await serveOps(
          opsRoutes(metrics, () => ({ ok: true, mirror: options.name })),
          options.http,
          "127.0.0.1",
        );
  logger.info(`ready: ${options.role} ${options.name} waits for ${triggerEvent(options.role)} of ${options.tree}`);
  const stopped = untilStopped().then(() => subscription.close());
  for await (const message of subscription) {
    agent.handle({ event: message.topic.slice(head.length), data: message.envelope.data });
  }
  await stopped;
  await ops?.close();
  await agent.idle();
  await deliverer.close();
  await bus.close();
}
