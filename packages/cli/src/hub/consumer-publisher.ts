import type { ConsumerContext } from "@herald/hub";
import { createSchemaRegistry } from "@herald/schemas";
import { createRelayClient, type HeraldConfig, signingKeyFromConfig } from "@herald/sdk";
import { signedEnvelope } from "../signed-envelope.js";

/**
 * What hosted consumers publish with (`context.publish`): checked against its schema, signed with
 * the configured key, acknowledged by a relay — or an error, so the hub retries the message.
 * Undefined when no key is configured: consumers then cannot publish.
 */
export function createConsumerPublisher(config: HeraldConfig) {
  const key = signingKeyFromConfig(config);
  if (key === undefined) return undefined;
  const registry = createSchemaRegistry();
  const client = createRelayClient({ relays: config.relays, timeoutMs: config.relayTimeoutMs });
  const publish: NonNullable<ConsumerContext["publish"]> = async (event, data) => {
    await client.send(signedEnvelope(config, registry, key, event, data));
  };
  return { publish, close: () => client.close() };
}
