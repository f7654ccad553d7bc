import {
  type Envelope,
  envelopeFromConfig,
  type HeraldConfig,
  HeraldError,
  type Logger,
  type SchemaRegistry,
  signingKeyFromConfig,
} from "@herald/sdk";
import { createRelayClient } from "./relay-client.js";
import { createSpool } from "./spool.js";

/** A message an integration built: an event name (`git.receive`) and its data. */
export interface IntegrationMessage {
  event: string;
  data: object;
}

/** What a {@link Deliverer} did with the messages given to it. */
export interface DeliveryReport {
  sent: number;
  queued: number;
  refused: number;
}

/** Publishes or spools; see {@link createDeliverer}. */
export interface Deliverer {
  readonly report: DeliveryReport;
  /** Checks, signs and sends one message, or spools it; never throws for delivery problems. */
  deliver(message: IntegrationMessage): Promise<void>;
  close(): Promise<void>;
}

/**
 * "Publish or spool", the way integrations (git hooks, builds, mirror agents) publish: each
 * message is checked against its schema in `registry`, signed with the configured key and sent
 * through the relays; once no relay answers, it and every later message go to the spool
 * (`spool_dir`), and the logger says so once. Delivery problems never throw, so a hook or a build
 * is never failed by the bus.
 * @throws HeraldError `E_SCHEMA` from `deliver` when the integration built data its schema refuses
 *   (a bug in the integration, not a delivery problem).
 */
export function createDeliverer(
  config: HeraldConfig,
  options: { registry: SchemaRegistry; logger: Logger },
): Deliverer {
  const { registry, logger } = options;
  const key = signingKeyFromConfig(config);
  const client = createRelayClient({ relays: config.relays, timeoutMs: config.relayTimeoutMs });
  const report: DeliveryReport = { sent: 0, queued: 0, refused: 0 };
  let spooling = false;
  return {
    report,
    async deliver({ event, data }) {
      const envelope: Envelope = envelopeFromConfig(config, registry, key, event, data);
      if (!spooling) {
        try {
          await client.send(envelope);
          report.sent++;
          return;
        } catch (error) {
          if (!HeraldError.isInstance(error) || error.code !== "E_RELAY_UNREACHABLE") {
            report.refused++;
            logger.error((error as Error).message);
            return;
          }
          spooling = true;
          logger.warn(`${error.message}; queuing in ${config.spoolDir} (herald spool flush delivers)`);
        }
      }
      createSpool(config.spoolDir).add(envelope);
      report.queued++;
    },
    close: () => client.close(),
  };
}
