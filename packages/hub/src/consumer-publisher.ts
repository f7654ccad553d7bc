import {
  type Envelope,
  envelopeFromConfig,
  type HeraldConfig,
  type SchemaRegistry,
  signingKeyFromConfig,
} from "@herald/sdk";
import type { ConsumerContext } from "./define-consumer.js";

/**
 * What hosted consumers publish with (`context.publish`): checked against its schema in `registry`,
 * signed with the configured key, handed to `send` (a relay client, a transport) — which throws
 * when the message is not acknowledged, so the hub retries the message that caused it. Undefined
 * when no key is configured: consumers then cannot publish.
 */
export function createConsumerPublisher(
  config: HeraldConfig,
  options: { registry: SchemaRegistry; send: (envelope: Envelope) => Promise<unknown> },
): NonNullable<ConsumerContext["publish"]> | undefined {
  const key = signingKeyFromConfig(config);
  if (key === undefined) return undefined;
  return async (event, data) => {
    await options.send(envelopeFromConfig(config, options.registry, key, event, data));
  };
}
