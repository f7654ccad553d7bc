import { defineConfigSection } from "@herald/sdk";
import { type Static, Type } from "@sinclair/typebox";

/** The `[site]` table of `herald.toml`: what `herald docs build` says of the adopter's bus. */
export const siteConfigSchema = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    introduction: Type.Optional(Type.String({ maxLength: 2000 })),
    servers: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ pattern: "^[a-z0-9][a-z0-9_-]*$" }),
            url: Type.String({ minLength: 1 }),
            description: Type.Optional(Type.String({ maxLength: 300 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

/** One place a subscriber connects to: `tcp://` (a relay's ZeroMQ outbound), `amqp(s)://`, `ws(s)://` (a gateway). */
export interface SiteServer {
  name: string;
  url: string;
  description?: string;
}

/** What the site says of the bus it documents. */
export interface SiteSettings {
  title: string;
  introduction: string;
  servers: SiteServer[];
}

/** The configuration of the site: `config.site`. */
export interface SiteConfig {
  site: SiteSettings;
}

/** The site of a bus that configured nothing: a relay's outbound and a gateway on this machine. */
export const defaultSiteSettings: SiteSettings = {
  title: "Herald topics",
  introduction:
    "Every topic on this bus: small, signed, schema-validated JSON messages about what just happened, each version with its fields, an example and its type.",
  servers: [
    { name: "relay", url: "tcp://127.0.0.1:9941", description: "a relay's ZeroMQ outbound" },
    { name: "gateway", url: "ws://127.0.0.1:9944/stream", description: "herald gateway, for browsers" },
  ],
};

/** `[site]`, the documentation site's section of `herald.toml` (docs/site.md). */
export const siteConfigSection = defineConfigSection({
  key: "site",
  schema: siteConfigSchema,
  resolve(value, context): SiteSettings {
    const site = (value ?? {}) as Static<typeof siteConfigSchema>;
    const servers = site.servers ?? defaultSiteSettings.servers;
    for (const [index, server] of servers.entries()) {
      let url: URL | undefined;
      try {
        url = new URL(server.url);
      } catch {
        url = undefined;
      }
      if (url === undefined || !["tcp:", "amqp:", "amqps:", "ws:", "wss:", "http:", "https:"].includes(url.protocol))
        context.fail(`site.servers[${index}].url`, "must be a tcp://, amqp(s)://, ws(s):// or http(s):// URL");
    }
    return {
      title: site.title ?? defaultSiteSettings.title,
      introduction: site.introduction ?? defaultSiteSettings.introduction,
      servers: servers.map((server) => ({ ...server })),
    };
  },
});
