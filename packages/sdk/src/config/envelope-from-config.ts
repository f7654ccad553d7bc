import { createEnvelope, type Envelope } from "../envelope.js";
import { HeraldError } from "../errors.js";
import type { SigningKey } from "../keys.js";
import type { SchemaRegistry } from "../schema-registry.js";
import { signEnvelope } from "../signing.js";
import type { HeraldConfig } from "./load-config.js";

/**
 * The envelope of a message this process publishes under its configured prefix and environment:
 * data checked against the event's newest schema (its `dataschema` set), signed when a key is given.
 * @throws HeraldError `E_SCHEMA` for an unknown event or data that breaks the schema.
 */
export function envelopeFromConfig(
  config: HeraldConfig,
  registry: SchemaRegistry,
  key: SigningKey | undefined,
  event: string,
  data: object,
): Envelope {
  const schema = registry.latest(event);
  if (schema === undefined) throw new HeraldError("E_SCHEMA", `no schema for ${event}: unknown topic`);
  const check = schema.check(data);
  if (!check.ok)
    throw new HeraldError("E_SCHEMA", `invalid data for ${schema.dataschema}: ${check.path} ${check.message}`);
  const envelope = createEnvelope({
    topic: `${config.prefix}.${config.environment}.${event}`,
    app: event.split(".")[0] as string,
    data: data as never,
    dataschema: schema.dataschema,
    ...(config.source === undefined ? {} : { source: config.source }),
  });
  return key === undefined ? envelope : signEnvelope(envelope, key);
}
