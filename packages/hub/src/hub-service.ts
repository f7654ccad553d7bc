import {
  busFromConfig,
  type Envelope,
  type HeraldConfig,
  type Logger,
  type Policy,
  type SchemaRegistry,
  type TrustStore,
} from "@herald/sdk";
import { type HttpRoute, originAllowed } from "@herald/sdk/internal";
import { createConsumerPublisher } from "./consumer-publisher.js";
import { createHub, type HostedConsumer, type Hub } from "./hub.js";

/** What {@link startHubService} needs. */
export interface HubServiceOptions {
  config: HeraldConfig;
  consumers: HostedConsumer[];
  schemas: SchemaRegistry;
  trust: TrustStore | undefined;
  policy: Policy;
  /** The hub's own log, and each consumer's. */
  logger: Logger;
  consumerLogger: (name: string) => Logger;
  /** How `context.publish` sends a signed envelope (a relay client); consumers cannot publish without it. */
  send?: (envelope: Envelope) => Promise<unknown>;
}

/**
 * Hosts consumers on the configured bus: one subscription per consumer (on RabbitMQ its own durable
 * queue `herald.hub.<name>`, acknowledged only after its handler), publishing signed with the
 * configured key.
 */
export async function startHubService(options: HubServiceOptions): Promise<{ hub: Hub; description: string }> {
  const { config, schemas, trust, policy, logger } = options;
  const publish =
    options.send === undefined ? undefined : createConsumerPublisher(config, { registry: schemas, send: options.send });
  const hub = await createHub({
    consumers: options.consumers,
    acknowledges: config.transport === "amqp",
    logger: options.consumerLogger,
    ...(publish === undefined ? {} : { publish }),
    openBus: async (name) => {
      // Named by the exchange (`herald.hub.<name>` on the default one): two hubs on one broker but
      // different exchanges, prod and stg say, never share a consumer's queue.
      const queue = config.transport === "amqp" ? `${config.amqp.exchange}.hub.${name}` : undefined;
      return (await busFromConfig(config, { queue, trust, policy, schemas, logger })).bus;
    },
  });
  const description =
    config.transport === "amqp"
      ? `exchange ${config.amqp.exchange} (queues ${config.amqp.exchange}.hub.<consumer>)`
      : Object.values(config.endpoints).flat().join(" ");
  return { hub, description };
}

/**
 * `POST /consumers/<name>/resume`, which puts an isolated consumer back to work, in front of
 * `other` routes. A name that is not valid percent-encoding is answered 400.
 */
export function hubRoutes(hub: Hub, other: HttpRoute): HttpRoute {
  return (request, response) => {
    const resume = request.method === "POST" ? /^\/consumers\/([^/]+)\/resume$/.exec(request.url ?? "") : null;
    if (resume === null) return other(request, response);
    // A page of another site in an operator's browser cannot put a consumer back to work.
    if (!originAllowed(request)) {
      response.writeHead(403, { "content-type": "text/plain" }).end("posts from another site's page are refused\n");
      return true;
    }
    let name: string;
    try {
      name = decodeURIComponent(resume[1] as string);
    } catch {
      response.writeHead(400, { "content-type": "text/plain" }).end("bad consumer name: not valid percent-encoding\n");
      return true;
    }
    hub.resume(name).then(
      (resumed) =>
        response
          .writeHead(resumed ? 200 : 409, { "content-type": "application/json" })
          .end(`${JSON.stringify({ consumer: name, resumed })}\n`),
      (error: Error) => response.writeHead(500, { "content-type": "text/plain" }).end(`${error.message}\n`),
    );
    return true;
  };
}
