import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGateway, type StreamItem } from "@herald/gateway";
import { admissionSource, createCommandMetrics, opsRoutes } from "@herald/ops";
import { createRejectionReport, type HttpRoute, listenHttp, type ReceivedMessage } from "@herald/sdk";
import { buildSite, serveStaticFile } from "@herald/site";
import { receivingBus } from "../bus-transport.js";
import { configFor } from "../config-flag.js";
import type { CommandIo } from "../io.js";
import { type PresentedMessage, presentMessage } from "../presented-message.js";
import { receivingTrust } from "../receiving-trust.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";
import { warnAboutUnprefixedPatterns } from "../topic-flags.js";

/** Flags of `herald gateway`. */
export interface GatewayCommandOptions {
  connect?: string[];
  topic?: string[];
  http: number;
  host: string;
  limit?: number;
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/**
 * `herald gateway`: streams verified messages to browsers over WebSocket (`/stream`), and serves
 * the documentation site with the live monitor (`/` opens it), `/healthz` and `/metrics`.
 */
export async function runGateway(options: GatewayCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { trust, policy } = receivingTrust(options, config, io, "stream unverified messages");
  const logger = stderrLogger("gateway", io);
  const siteDir = mkdtempSync(join(tmpdir(), "herald-gateway-site-"));
  await buildSite({ outDir: siteDir });
  const gateway = createGateway({ logger, ...(options.limit === undefined ? {} : { perClientLimit: options.limit }) });
  const rejections = createRejectionReport(logger);
  warnAboutUnprefixedPatterns(options.topic ?? ["#"], config.prefix, logger);
  const { bus, transport, from } = await receivingBus(config, { connect: options.connect, trust, policy }, logger);
  const consumption = await bus.consume(
    options.topic ?? ["#"],
    (message) => gateway.publish(streamItem(message, presentMessage(message, config))),
    { onReject: rejections.count },
  );

  const metrics = createCommandMetrics("gateway");
  metrics.add(admissionSource("subscription", () => consumption.stats, transport));
  metrics.add({
    part: "browsers",
    messagesOut: () => gateway.stats.sent,
    rejected: () => ({ "slow-client": gateway.stats.dropped }),
  });
  const ops = opsRoutes(metrics, () => ({ ok: true, browsers: gateway.stats.clients }));
  const routes: HttpRoute = (request, response) => {
    if (request.url === "/" && request.method === "GET") {
      response.writeHead(302, { location: "/monitor.html" }).end();
      return true;
    }
    return ops(request, response) || serveStaticFile(siteDir, request, response);
  };
  const server = createServer((request, response) => {
    if (!routes(request, response)) response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  gateway.attach(server);
  const http = await listenHttp(server, options.http, options.host);
  logger.info(`ready: monitor at http://${options.host}:${http.port}/, from ${from}`);
  const signal = await untilStopped();
  await consumption.close();
  await gateway.close();
  await http.close();
  rejections.stop();
  await bus.close();
  rmSync(siteDir, { recursive: true, force: true });
  logger.info(`${signal}: stopped`);
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
