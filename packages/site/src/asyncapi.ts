import { defaultSiteSettings, type SiteServer, type SiteSettings } from "./site-config.js";
import type { TopicDoc } from "./topic-model.js";

type Json = Record<string, unknown>;

/** Keys JSON Schema 2020-12 has that AsyncAPI's schema format (a draft-07 superset) does not need. */
function asyncApiSchema(document: Json): Json {
  const { $schema: _dialect, $id: _id, title: _title, examples: _examples, ...schema } = document;
  return schema;
}

/**
 * The AsyncAPI 3.0 document of the whole registry: one channel per topic (its address with
 * `{prefix}` and `{environment}` parameters), one message per schema version whose payload is the
 * signed CloudEvents envelope with that version's `data`, and a `receive` operation per channel.
 * AsyncAPI tools (the parser, generators, Studio) read it as they would any service's.
 */
export function asyncApiDocument(
  topics: readonly TopicDoc[],
  version: string,
  site: SiteSettings = defaultSiteSettings,
): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  for (const topic of topics) {
    const channelMessages: Json = {};
    for (const doc of topic.versions) {
      const key = `${topic.name}_${doc.version}`;
      messages[key] = {
        name: key,
        title: `${topic.name} ${doc.version}`,
        summary: doc.description,
        contentType: "application/json",
        payload: {
          allOf: [
            { $ref: "#/components/schemas/envelope" },
            {
              type: "object",
              properties: {
                dataschema: { const: doc.dataschema },
                data: asyncApiSchema(doc.jsonSchema),
              },
            },
          ],
        },
        examples: [{ name: "example", summary: doc.summary, payload: doc.example }],
      };
      channelMessages[`v${doc.version.replace(".", "_")}`] = { $ref: `#/components/messages/${key}` };
    }
    channels[topic.name] = {
      address: `{prefix}.{environment}.${topic.name}`,
      title: topic.name,
      description: `${topic.description} Emitted by ${topic.emittedBy}.`,
      parameters: {
        prefix: { $ref: "#/components/parameters/prefix" },
        environment: { $ref: "#/components/parameters/environment" },
      },
      messages: channelMessages,
    };
    operations[`receive_${topic.name}`] = {
      action: "receive",
      channel: { $ref: `#/channels/${topic.name}` },
      summary: `Messages on ${topic.name}`,
      messages: Object.keys(channelMessages).map((name) => ({ $ref: `#/channels/${topic.name}/messages/${name}` })),
    };
  }
  return {
    asyncapi: "3.0.0",
    info: {
      title: site.title,
      version,
      description: `${site.introduction} Every message is an Ed25519-signed CloudEvents envelope; \`data\` follows the schema its \`dataschema\` names.`,
      license: { name: "MIT" },
    },
    defaultContentType: "application/json",
    servers: Object.fromEntries(site.servers.map((server) => [server.name, asyncApiServer(server)])),
    channels,
    operations,
    components: {
      parameters: {
        prefix: { description: "the organisation's topic prefix", default: "org.example", examples: ["org.example"] },
        environment: { description: "the deployment", default: "prod", examples: ["prod", "stg", "dev"] },
      },
      messages,
      schemas: { envelope: envelopeSchema },
    },
  };
}

/** The envelope of PROTOCOL.md: CloudEvents 1.0 attributes plus Herald's signature. */
const envelopeSchema = {
  type: "object",
  required: ["specversion", "id", "source", "type", "time", "datacontenttype", "data"],
  properties: {
    specversion: { const: "1.0" },
    id: { type: "string", description: "UUIDv7, unique per message" },
    source: { type: "string", description: "/<app>/<host>" },
    type: { type: "string", description: "the full topic" },
    time: { type: "string", format: "date-time" },
    datacontenttype: { const: "application/json" },
    dataschema: { type: "string", description: "herald:<schema name>/<major>.<minor>" },
    data: { type: "object" },
    keyid: { type: "string", description: "the signing key's id" },
    sig: { type: "string", description: "Ed25519 signature, base64, over the RFC 8785 canonical envelope" },
  },
};

/** An AsyncAPI 3.0 server of a `[site]` server: `tcp://` is a relay's ZeroMQ outbound. */
function asyncApiServer(server: SiteServer): Json {
  const url = new URL(server.url);
  const protocol = url.protocol.slice(0, -1);
  return {
    host: url.host,
    protocol: protocol === "tcp" ? "zeromq" : protocol,
    ...(url.pathname === "/" || url.pathname === "" ? {} : { pathname: url.pathname }),
    ...(server.description === undefined ? {} : { description: server.description }),
  };
}
