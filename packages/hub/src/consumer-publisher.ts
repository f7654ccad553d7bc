import {
  type Envelope,
  envelopeFromConfig,
  type HeraldConfig,
  type SchemaRegistry,
  signingKeyFromConfig,
} from "@herald/sdk";
import type { AnyConsumer, ConsumerContext } from "./define-consumer.js";

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

/**
 * The publisher one consumer gets: a consumer that declared `publishes` may publish those events
 * and no other, so what the documentation site says of a topic's publishers stays true.
 */
export function declaredPublisher(
  consumer: Pick<AnyConsumer, "name" | "publishes">,
  publish: NonNullable<ConsumerContext["publish"]>,
): NonNullable<ConsumerContext["publish"]> {
  const declared = consumer.publishes;
  if (declared === undefined) return publish;
  return async (event, data) => {
    if (!declared.includes(event))
      throw new Error(`${consumer.name} publishes ${event}, which its publishes list does not declare`);
    await publish(event, data);
  };
}
