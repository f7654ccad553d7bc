import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "@herald/sdk";
import { type WebSocket, WebSocketServer } from "ws";
import { compileFilters, noFilters, parseFilters } from "./client-filter.js";
import type { ServerFrame, StreamFilters, StreamItem } from "./stream-item.js";

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  logger: Logger;
  /** Messages that may wait for one browser; past it the oldest are dropped and the browser told. */
  perClientLimit?: number;
  /** How often waiting messages go out, batched into one frame (default 50 ms). */
  flushMs?: number;
  /** Bytes the socket may hold unsent before the gateway stops writing to it (default 1 MiB). */
  maxBufferedBytes?: number;
}

/** Counters for `/metrics`. */
export interface GatewayStats {
  clients: number;
  sent: number;
  dropped: number;
}

/** A running gateway: give it messages, attach it to an HTTP server's upgrades. */
export interface Gateway {
  readonly stats: GatewayStats;
  /** Offers a message to every browser whose filters match. Never waits: the bus is never slowed. */
  publish(item: StreamItem): void;
  /** Handles an HTTP upgrade on `/stream`; returns false for any other path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Attaches to a server's `upgrade` event. */
  attach(server: Server): void;
  close(): Promise<void>;
}

interface Client {
  socket: WebSocket;
  matches: (item: StreamItem) => boolean;
  queue: StreamItem[];
  dropped: number;
}

/**
 * The WebSocket side of `herald gateway` (ws). Each browser has its own filters (set by a
 * `{"type":"filter"}` frame, applied here so unwanted messages never cross the network) and its
 * own bounded queue, flushed in batches; a browser that reads too slowly loses its oldest
 * messages — and is told how many — while the bus and every other browser go on at full speed.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const limit = options.perClientLimit ?? 1000;
  const maxBuffered = options.maxBufferedBytes ?? 1 << 20;
  const server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<Client>();
  const stats: GatewayStats = { clients: 0, sent: 0, dropped: 0 };

  const send = (client: Client, frame: ServerFrame) => client.socket.send(JSON.stringify(frame));
  const flush = () => {
    for (const client of clients) {
      if (client.socket.readyState !== client.socket.OPEN) continue;
      if (client.dropped > 0) {
        send(client, { type: "dropped", count: client.dropped });
        client.dropped = 0;
      }
      if (client.queue.length === 0 || client.socket.bufferedAmount > maxBuffered) continue;
      const items = client.queue;
      client.queue = [];
      stats.sent += items.length;
      send(client, { type: "messages", items });
    }
  };
  const timer = setInterval(flush, options.flushMs ?? 50);
  timer.unref();

  server.on("connection", (socket: WebSocket) => {
    const client: Client = { socket, matches: compileFilters(noFilters), queue: [], dropped: 0 };
    clients.add(client);
    stats.clients = clients.size;
    send(client, { type: "hello", filters: noFilters, limit });
    socket.on("message", (data) => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        socket.close(1003, "frames are JSON");
        return;
      }
      const filters: StreamFilters | string =
        (frame as { type?: unknown }).type === "filter" ? parseFilters(frame) : "unknown frame type";
      if (typeof filters === "string") {
        send(client, { type: "error", message: filters });
        return;
      }
      client.matches = compileFilters(filters);
      client.queue = [];
      send(client, { type: "hello", filters, limit });
    });
    socket.on("close", () => {
      clients.delete(client);
      stats.clients = clients.size;
    });
    socket.on("error", (error) => options.logger.warn(`a browser's connection failed: ${error.message}`));
  });

  const gateway: Gateway = {
    stats,
    publish(item) {
      for (const client of clients) {
        if (!client.matches(item)) continue;
        client.queue.push(item);
        if (client.queue.length > limit) {
          client.queue.shift();
          client.dropped++;
          stats.dropped++;
        }
      }
    },
    handleUpgrade(request, socket, head) {
      if (new URL(request.url ?? "/", "http://localhost").pathname !== "/stream") return false;
      server.handleUpgrade(request, socket, head, (ws) => server.emit("connection", ws, request));
      return true;
    },
    attach(http) {
      http.on("upgrade", (request, socket, head) => {
        if (!gateway.handleUpgrade(request, socket, head)) socket.destroy();
      });
    },
    async close() {
      clearInterval(timer);
      for (const client of clients) client.socket.close(1001, "the gateway is stopping");
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return gateway;
}
