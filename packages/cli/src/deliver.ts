import { createSchemaRegistry } from "@herald/schemas";
import {
  createRelayClient,
  createSpool,
  type Envelope,
  type HeraldConfig,
  HeraldError,
  signingKeyFromConfig,
} from "@herald/sdk";
import { CliError } from "./cli-error.js";
import type { CommandIo } from "./io.js";
import { signedEnvelope } from "./signed-envelope.js";

/** A message an integration built: a schema name and its data. */
export interface IntegrationMessage {
  event: string;
  data: object;
}

/** What {@link createDeliverer} did with the messages given to it. */
export interface DeliveryReport {
  sent: number;
  queued: number;
  refused: number;
}

/**
 * How integrations (git hooks, `herald build`) publish: each message checked against its schema,
 * signed with the configured key, sent through the relays; once no relay answers, it and every
 * later message go to the spool, and stderr says so. Never throws for delivery problems, so a
 * hook or a build is never failed by the bus.
 */
export function createDeliverer(config: HeraldConfig, io: CommandIo) {
  const key = signingKeyFromConfig(config);
  const registry = createSchemaRegistry();
  const client = createRelayClient({ relays: config.relays, timeoutMs: config.relayTimeoutMs });
  const report: DeliveryReport = { sent: 0, queued: 0, refused: 0 };
  let spooling = false;

  const envelopeOf = ({ event, data }: IntegrationMessage): Envelope => {
    try {
      return signedEnvelope(config, registry, key, event, data);
    } catch (error) {
      throw new CliError("E_INPUT", `built ${(error as Error).message}: this is a bug`);
    }
  };

  return {
    report,
    async deliver(message: IntegrationMessage): Promise<void> {
      const envelope = envelopeOf(message);
      if (!spooling) {
        try {
          await client.send(envelope);
          report.sent++;
          return;
        } catch (error) {
          if (!HeraldError.isInstance(error) || error.code !== "E_RELAY_UNREACHABLE") {
            report.refused++;
            io.stderr.write(`herald: ${(error as Error).message}\n`);
            return;
          }
          spooling = true;
          io.stderr.write(`herald: ${error.message}; queuing in ${config.spoolDir} (herald spool flush delivers)\n`);
        }
      }
      createSpool(config.spoolDir).add(envelope);
      report.queued++;
    },
    close: () => client.close(),
  };
}
