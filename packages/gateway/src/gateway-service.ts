import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { admissionSource, type MetricsSource } from "@herald/ops";
import { type PresentedMessage, presentMessage, type SchemaCatalogue } from "@herald/schemas";
import {
  busFromConfig,
  type HeraldConfig,
  type Logger,
  type Policy,
  type ReceivedMessage,
  type TrustStore,
} from "@herald/sdk";
import { createRejectionReport, type HttpRoute, listenHttp } from "@herald/sdk/internal";
import { buildSite, serveStaticFile } from "@herald/site";
import { createGateway } from "./gateway.js";
import type { StreamItem } from "./stream-item.js";

/** What {@link startGatewayService} needs. */
export interface GatewayServiceOptions {
  config: HeraldConfig;
  trust: TrustStore | undefined;
  policy: Policy;
  logger: Logger;
  /** Where browsers connect. */
  port: number;
  host: string;
  /** What to stream at most (default `#`; browsers filter further). */
  topics?: string[] | undefined;
  connect?: string[] | undefined;
  /** Messages that may wait for one browser before its oldest are dropped. */
  perClientLimit?: number | undefined;
  /** Browsers connected at once (default 100). */
  maxClients?: number | undefined;
  /** Origins of other sites whose pages may open `/stream` (its own pages always may). */
  allowedOrigins?: readonly string[] | undefined;
  /**
   * The schemas messages are checked and presented with; a `dataschema` only its registry service
   * knows is fetched before the message is shown (default: data unchecked, the built-in catalogue presents).
   */
  catalogue?: SchemaCatalogue | undefined;
  /** `/healthz` and `/metrics`, served beside the monitor. */
  opsRoutes?: (health: () => { ok: boolean; browsers: number }) => HttpRoute;
}

/** The running gateway. */
export interface GatewayService {
  /** `monitor at http://…/, from …`, for a ready line. */
  readonly description: string;
  readonly port: number;
  readonly sources: readonly MetricsSource[];
  close(): Promise<void>;
}

/**
 * The live monitor's server: the docs site and monitor page, and `/stream`, where each browser
 * gets the verified messages of its own filters over WebSocket.
 * @throws HeraldError `E_TRANSPORT` when the port cannot be bound or the bus reached.
 */
export async function startGatewayService(options: GatewayServiceOptions): Promise<GatewayService> {
  const { config, trust, policy, logger } = options;
  const siteDir = mkdtempSync(join(tmpdir(), "herald-gateway-site-"));
  await buildSite({ outDir: siteDir });
  const gateway = createGateway({
    logger,
    ...(options.perClientLimit === undefined ? {} : { perClientLimit: options.perClientLimit }),
    ...(options.maxClients === undefined ? {} : { maxClients: options.maxClients }),
    ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
  });
  const rejections = createRejectionReport(logger);
  const {
    bus,
    transport,
    description: from,
  } = await busFromConfig(config, {
    connect: options.connect,
    logger,
    trust,
    policy,
    schemas: options.catalogue?.registry ?? "none",
  });
  const consumption = await bus.consume(
    options.topics ?? ["#"],
    (message) => gateway.publish(streamItem(message, presentMessage(message, config, options.catalogue?.presenter))),
    { onReject: rejections.count },
  );
  const ops = options.opsRoutes?.(() => ({ ok: true, browsers: gateway.stats.clients }));
  const routes: HttpRoute = (request, response) => {
    if (request.url === "/" && request.method === "GET") {
      response.writeHead(302, { location: "/monitor.html" }).end();
      return true;
    }
    return ops?.(request, response) || serveStaticFile(siteDir, request, response);
  };
  const server = createServer((request, response) => {
    if (!routes(request, response)) response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  gateway.attach(server);
  const http = await listenHttp(server, options.port, options.host);
  return {
    description: `monitor at http://${options.host}:${http.port}/, from ${from}`,
    port: http.port,
    sources: [
      admissionSource("subscription", () => consumption.stats, transport),
      {
        part: "browsers",
        messagesOut: () => gateway.stats.sent,
        rejected: () => ({ "slow-client": gateway.stats.dropped }),
      },
    ],
    async close() {
      await consumption.close();
      await gateway.close();
      await http.close();
      rejections.stop();
      await bus.close();
      rmSync(siteDir, { recursive: true, force: true });
    },
  };
}

function streamItem(message: ReceivedMessage, presented: PresentedMessage): StreamItem {
  const { envelope } = message;
  return {
    id: envelope.id,
    time: envelope.time,
    topic: message.topic,
    event: presented.event,
    app: presented.app,
    signer: envelope.keyid ?? null,
    outcome: message.outcome,
    summary: presented.presentation.summary,
    icon: presented.presentation.icon,
    link: presented.presentation.link ?? null,
    usernames: presented.presentation.usernames,
    packages: presented.presentation.packages,
    severity: presented.presentation.severity,
    envelope,
  };
}
