import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { connect as tlsConnect } from "node:tls";
import { createBackoff, defaultMaxMessageBytes, HeraldError } from "@herald/sdk";
import { Client, type IMessage, type IStompSocketMessageEvent } from "@stomp/stompjs";
import { TCPWrapper } from "@stomp/tcp-wrapper";
import { jsonObjectOf } from "./amqp-body.js";
import type { BridgeConfig } from "./bridge-config.js";
import type { BridgeContext, RunningBridge } from "./bridge-direction.js";
import { createBusForwarder, type ForwardOutcome } from "./bus-forwarder.js";
import { addressKey, type ForeignEndpoint, foreignEndpoint } from "./foreign-connection.js";
import { type ForeignMessage, foreignConverter } from "./foreign-rules.js";
import { createStompFrameLimit, oversizeHeader, type StompFrameLimit } from "./stomp-frame-limit.js";

/**
 * `kind = "stomp"`: JSON messages from a STOMP broker (ActiveMQ, Artemis, RabbitMQ's STOMP
 * plugin), on @stomp/stompjs over TCP or TLS. A virtual topic (`VirtualTopic.…`, ActiveMQ's
 * durable publish-subscribe) is read through the bridge's own consumer queue
 * `Consumer.<subscription>.VirtualTopic.…`, so what is published while the bridge is stopped waits
 * for it; a queue (`/queue/…`) is read as it is. Each message is acknowledged (client-individual)
 * only once a relay acknowledged it; one that can never be delivered is NACKed once, with the
 * reason logged (ActiveMQ moves it to its dead-letter queue); `prefetch` bounds what is in flight.
 * The connection comes back with backoff and jitter.
 */
export async function startStompBridge(context: BridgeContext): Promise<RunningBridge> {
  const { bridge, config, logger } = context;
  if (bridge.direction === "out" || bridge.direction === "both")
    throw new HeraldError("E_CONFIG", `bridge ${bridge.name}: stomp bridges carry messages in only`);
  if (!bridge.addresses?.length)
    throw new HeraldError(
      "E_CONFIG",
      `bridge ${bridge.name}: stomp needs addresses, the virtual topics or queues to read`,
    );
  const endpoint = foreignEndpoint(bridge, "stomp");
  const subscription = bridge.subscription ?? `herald-${bridge.name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const destinations = bridge.addresses.map((address) => stompDestination(bridge, address, subscription));
  const prefetch = String(bridge.prefetch ?? config.amqp.prefetch);
  const convert = foreignConverter(bridge);
  const forwarder = createBusForwarder(context);
  const backoff = createBackoff({ initialMs: 500, maxMs: 30_000 });
  const Socket = boundedSocket(endpoint.tls === undefined ? TCPWrapper : tlsSocket(endpoint), (problem) =>
    forwarder.direction.refuse("broker-violation", `${endpoint.display}: connection dropped: ${problem}`),
  );
  // Each connection has its own number: an acknowledgement for a message of an earlier one is
  // not sent (the broker redelivers that message, and the relay recognises its id).
  let generation = 0;
  let subscribed = false;
  let reconnects = 0;
  let attempts = 0;
  let lastProblem = "";
  const problem = (text: string) => {
    if (text !== lastProblem) logger.warn(`${bridge.name}: ${endpoint.display}: ${text}`);
    lastProblem = text;
  };

  const client = new Client({
    webSocketFactory: () => new Socket(endpoint.host, endpoint.port),
    connectHeaders: {
      host: endpoint.host,
      ...(endpoint.username === undefined ? {} : { login: endpoint.username }),
      ...(endpoint.password === undefined ? {} : { passcode: endpoint.password }),
    },
    heartbeatIncoming: 10_000,
    heartbeatOutgoing: 10_000,
    // The delay is taken in beforeConnect, with backoff and jitter; stompjs's own is fixed.
    reconnectDelay: 1,
    debug: () => {},
    beforeConnect: async () => {
      if (attempts++ > 0) {
        reconnects++;
        await sleep(backoff.next());
      }
    },
  });

  const settle = (message: IMessage, from: number, result: ForwardOutcome) => {
    if (from !== generation || !client.connected) return;
    if (result.outcome === "accept") message.ack();
    else if (result.outcome === "reject") message.nack({ "herald-reason": headerValue(result.reason) });
    // Released: left unacknowledged; the broker gives it to the next consumer when this one goes.
  };

  const ready = new Promise<void>((resolve, reject) => {
    client.onConnect = () => {
      const current = ++generation;
      for (const destination of destinations)
        client.subscribe(
          destination,
          (message) => {
            const key = addressKey(
              message.headers["original-destination"] ?? message.headers.destination ?? destination,
            );
            const id = message.headers["message-id"];
            void forwarder
              .forward(`message ${key} (${id ?? "no id"})`, () => convert(foreignMessageOf(message, key)))
              .then((result) => settle(message, current, result));
          },
          { ack: "client-individual", "activemq.prefetchSize": prefetch, "prefetch-count": prefetch },
        );
      subscribed = true;
      backoff.reset();
      if (generation > 1) logger.info(`${bridge.name}: connected again to ${endpoint.display}`);
      lastProblem = "";
      resolve();
    };
    client.onStompError = (frame) => {
      const text = `the broker said: ${frame.headers.message ?? "ERROR"}${frame.body ? ` (${frame.body.trim().slice(0, 200)})` : ""}`;
      if (generation === 0)
        reject(new HeraldError("E_TRANSPORT", `bridge ${bridge.name}: ${endpoint.display}: ${text}`));
      else problem(text);
    };
    client.onWebSocketClose = () => {
      subscribed = false;
      if (generation === 0)
        reject(new HeraldError("E_TRANSPORT", `bridge ${bridge.name}: cannot connect to ${endpoint.display}`));
      else if (client.active) problem("disconnected; reconnecting");
    };
    client.onWebSocketError = (event: { message?: unknown }) => {
      const cause = event?.message instanceof Error ? event.message.message : "connection error";
      if (generation > 0) problem(cause);
      else lastProblem = cause;
    };
  });
  client.activate();
  try {
    await ready;
  } catch (error) {
    await client.deactivate();
    await forwarder.close();
    throw lastProblem === "" ? error : new HeraldError("E_TRANSPORT", `${(error as Error).message}: ${lastProblem}`);
  }
  return {
    sources: [{ ...forwarder.direction.source, reconnects: () => reconnects }],
    healthy: () => client.connected && subscribed,
    async close() {
      // Every message being forwarded is settled (acknowledged, refused or left) before the
      // connection goes: what was left is the broker's to give to the next consumer.
      await forwarder.close();
      await client.deactivate();
    },
  };
}

/**
 * Where a configured address is read: a virtual topic through the bridge's consumer queue, a
 * queue as it is (a bare name is a queue).
 * @throws HeraldError `E_CONFIG` for a plain topic, which keeps nothing while the bridge is away.
 */
function stompDestination(bridge: BridgeConfig, address: string, subscription: string): string {
  const name = addressKey(address);
  if (name.startsWith("VirtualTopic.")) return `/queue/Consumer.${subscription}.${name}`;
  if (address.startsWith("/topic/") || address.startsWith("topic://"))
    throw new HeraldError(
      "E_CONFIG",
      `bridge ${bridge.name}: ${address} is a plain topic, which keeps nothing while the bridge is stopped: read a virtual topic (VirtualTopic.…) or a queue`,
    );
  return `/queue/${name}`;
}

/** What the rules and the envelope need from a STOMP message. */
function foreignMessageOf(message: IMessage, key: string): ForeignMessage {
  const oversize = message.headers[oversizeHeader];
  if (oversize !== undefined)
    throw new HeraldError(
      "E_ENVELOPE",
      `the body is refused: too-large: ${oversize} bytes, at most ${defaultMaxMessageBytes}`,
    );
  const id = message.headers["message-id"];
  const sent = Number(message.headers.timestamp);
  const charset = /charset=([^;]+)/i.exec(message.headers["content-type"] ?? "")?.[1]?.trim();
  return {
    key,
    data: jsonObjectOf(Buffer.from(message.binaryBody), charset) as ForeignMessage["data"],
    ...(id === undefined ? {} : { messageId: id }),
    ...(Number.isFinite(sent) && sent > 0 ? { time: new Date(sent) } : {}),
  };
}

/** A reason as a STOMP header value: one line, bounded. */
function headerValue(text: string): string {
  return text.replace(/[\r\n:\\]/g, " ").slice(0, 200);
}

/**
 * The socket class with the broker's bytes read through {@link createStompFrameLimit}, so a huge
 * frame costs bounded memory and is refused as one message. Headers beyond the limit drop the
 * connection (said in one line, like any other loss, and told to `onViolation` to be counted).
 * TCPWrapper assigns `onmessage` in its constructor and stompjs after it; an accessor takes both
 * and puts the limit in between.
 */
function boundedSocket(Base: typeof TCPWrapper, onViolation: (problem: string) => void): typeof TCPWrapper {
  class Bounded extends Base {}
  const handlers = new WeakMap<object, (event: IStompSocketMessageEvent) => void>();
  const limits = new WeakMap<object, StompFrameLimit>();
  Object.defineProperty(Bounded.prototype, "onmessage", {
    get(this: Bounded) {
      return handlers.get(this);
    },
    set(this: Bounded, deliver: (event: IStompSocketMessageEvent) => void) {
      handlers.set(this, (event) => {
        let limit = limits.get(this);
        if (limit === undefined) {
          limit = createStompFrameLimit();
          limits.set(this, limit);
        }
        let frames: Buffer[];
        try {
          // TCPWrapper hands over the socket's Buffer as it came.
          frames = limit.push(event.data as unknown as Buffer);
        } catch (cause) {
          onViolation((cause as Error).message);
          (this as unknown as { socket: Socket }).socket.destroy(cause as Error);
          return;
        }
        for (const frame of frames) deliver({ data: new Uint8Array(frame).buffer });
      });
    },
  });
  return Bounded;
}

/** TCPWrapper over TLS: the broker's certificate is verified, and the client's presented. */
function tlsSocket(endpoint: ForeignEndpoint): typeof TCPWrapper {
  const options = endpoint.tls ?? { servername: endpoint.host };
  return class TlsWrapper extends TCPWrapper {
    protected override getSocket(port: number, host: string) {
      return tlsConnect({ port, host, ...options, rejectUnauthorized: true });
    }
  };
}
