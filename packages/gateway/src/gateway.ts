import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type Logger, readBoundedJson } from "@herald/sdk";
import { originAllowed } from "@herald/sdk/internal";
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
  /** Bytes the socket may hold unsent before the gateway stops writing to it (default 256 KiB). */
  maxBufferedBytes?: number;
  /** Browsers connected at once; one more is refused with 503 (default 100). */
  maxClients?: number;
  /**
   * Origins (`https://monitor.example.org`) whose pages may open `/stream`, besides pages served
   * by this gateway itself (an `Origin` whose host is the request's `Host`). A request without an
   * `Origin` (not a browser) is let in. Any other page is refused with 403, so a page on another
   * site cannot read the bus through a visitor's browser.
   */
  allowedOrigins?: readonly string[];
  /** How long a browser may stay too slow to take anything before it is disconnected (default 30 s). */
  slowClientMs?: number;
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
  /** Since when its socket has held more than `maxBufferedBytes` unsent (0: it has not). */
  slowSince: number;
  /** Frames it may still send now (a token bucket: `frameRate` a second, `frameBurst` at once). */
  frameTokens: number;
  framesCountedAt: number;
}

/** The largest frame a browser may send: a filter frame is a few hundred bytes. */
const maxFrameBytes = 16 * 1024;
/**
 * Filter frames a browser may send a second, and at once: a person changes filters a few times a
 * minute; a page that sends more is closed, so a hundred of them cannot keep the gateway busy.
 */
const frameRate = 5;
const frameBurst = 20;

/**
 * The WebSocket side of `herald gateway` (ws). Each browser has its own filters (set by a
 * `{"type":"filter"}` frame, applied here so unwanted messages never cross the network) and its
 * own bounded queue, flushed in batches; a browser that reads too slowly loses its oldest
 * messages — and is told how many — while the bus and every other browser go on at full speed.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const limit = options.perClientLimit ?? 1000;
  const maxBuffered = options.maxBufferedBytes ?? 256 * 1024;
  const maxClients = options.maxClients ?? 100;
  const slowClientMs = options.slowClientMs ?? 30_000;
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const server = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
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
      if (client.socket.bufferedAmount > maxBuffered) {
        // A browser that takes nothing for long holds memory for nothing: it is let go.
        client.slowSince ||= Date.now();
        if (Date.now() - client.slowSince > slowClientMs) client.socket.terminate();
        continue;
      }
      client.slowSince = 0;
      if (client.queue.length === 0) continue;
      const items = client.queue;
      client.queue = [];
      stats.sent += items.length;
      send(client, { type: "messages", items });
    }
  };
  const timer = setInterval(flush, options.flushMs ?? 50);
  timer.unref();

  server.on("connection", (socket: WebSocket) => {
    const client: Client = {
      socket,
      matches: compileFilters(noFilters),
      queue: [],
      dropped: 0,
      slowSince: 0,
      frameTokens: frameBurst,
      framesCountedAt: Date.now(),
    };
    clients.add(client);
    stats.clients = clients.size;
    send(client, { type: "hello", filters: noFilters, limit });
    socket.on("message", (data, isBinary) => {
      // Whatever a page sends, the answer is a frame or a close, never an exception.
      const now = Date.now();
      client.frameTokens = Math.min(
        frameBurst,
        client.frameTokens + ((now - client.framesCountedAt) * frameRate) / 1000,
      );
      client.framesCountedAt = now;
      if (client.frameTokens < 1) {
        socket.close(1008, `more than ${frameRate} frames a second`);
        return;
      }
      client.frameTokens--;
      const reading = isBinary ? undefined : readBoundedJson(data as Buffer, { maxBytes: maxFrameBytes, maxDepth: 4 });
      if (reading === undefined || !reading.ok) {
        socket.close(1003, reading === undefined ? "frames are JSON text" : `frames are JSON: ${reading.reason}`);
        return;
      }
      const frame = reading.value;
      const filters: StreamFilters | string =
        typeof frame === "object" && frame !== null && (frame as { type?: unknown }).type === "filter"
          ? parseFilters(frame)
          : 'a frame is {"type":"filter",…}';
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
      const refusal = !originAllowed(request, allowedOrigins)
        ? "403 Forbidden"
        : clients.size >= maxClients
          ? "503 Service Unavailable"
          : undefined;
      if (refusal !== undefined) {
        socket.end(`HTTP/1.1 ${refusal}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
        return true;
      }
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
