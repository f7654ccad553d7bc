import { createBackoff, HeraldError } from "@herald/sdk";
import rhea, { type Connection, type ConnectionOptions, type EventContext, type Message, type Receiver } from "rhea";
import { jsonObjectOf } from "./amqp-body.js";
import { bytesInProgress, checkedConnect, maxFrameBytes, maxMessageBytes } from "./amqp10-limits.js";
import type { BridgeContext, RunningBridge } from "./bridge-direction.js";
import { createBusForwarder, type ForwardOutcome } from "./bus-forwarder.js";
import { addressKey, foreignEndpoint } from "./foreign-connection.js";
import { type ForeignMessage, foreignConverter } from "./foreign-rules.js";
import { createSettleInTurns } from "./settle-in-turns.js";

/** AMQP 1.0's data section, the usual body of bytes (rhea hands it over as a `Section`). */
const dataSection = 0x75;

/**
 * `kind = "amqp10"`: JSON messages from an AMQP 1.0 broker (qpidd, ActiveMQ Artemis, Red Hat's
 * message bus, RabbitMQ's AMQP 1.0 plugin), on rhea, the AMQP 1.0 client the Qpid project keeps
 * for Node. Each of `addresses` is read on its own link with `prefetch` credit: a queue as it is,
 * a topic (`topic://…`, `/topic/…`, `/exchange/…`) as a durable subscription named by the
 * container id and link name (`subscription`), so what is published while the bridge is stopped
 * waits for it on brokers that keep such subscriptions. A message is accepted only once a relay
 * acknowledged it, rejected (with the reason, once) when it can never be delivered, and released
 * when the bridge stops before that. The connection comes back with backoff and jitter.
 */
export async function startAmqp10Bridge(context: BridgeContext): Promise<RunningBridge> {
  const { bridge, config, logger } = context;
  if (bridge.direction === "out" || bridge.direction === "both")
    throw new HeraldError("E_CONFIG", `bridge ${bridge.name}: amqp10 bridges carry messages in only`);
  if (!bridge.addresses?.length)
    throw new HeraldError("E_CONFIG", `bridge ${bridge.name}: amqp10 needs addresses, the queues or topics to read`);
  const endpoint = foreignEndpoint(bridge, "amqp10");
  const addresses = bridge.addresses;
  const convert = foreignConverter(bridge);
  const forwarder = createBusForwarder(context);
  const subscription = bridge.subscription ?? `herald-${bridge.name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const credit = bridge.prefetch ?? config.amqp.prefetch;
  // The container id is half of a durable subscription's name: the same on every start.
  const container = rhea.create_container({ id: subscription });
  // rhea emits on the container what no handler took (a session or link the broker ended with an
  // error): an EventEmitter's unheard "error" would end the process. Said, never thrown.
  container.on("error", (error: Error) => {
    if (!closing) logger.warn(`${bridge.name}: ${endpoint.display}: ${error.message}`);
  });
  const options: ConnectionOptions = {
    host: endpoint.host,
    port: endpoint.port,
    reconnect: false,
    idle_time_out: 30_000,
    max_frame_size: maxFrameBytes,
    // The broker's bytes pass the frame and message limits before and after rhea reads them.
    connect: checkedConnect(
      endpoint.tls !== undefined,
      () =>
        receivers.some((receiver) => bytesInProgress(receiver) > maxMessageBytes)
          ? `the broker is sending a message larger than ${maxMessageBytes} bytes`
          : undefined,
      (problem) =>
        forwarder.direction.refuse("broker-violation", `${endpoint.display}: connection dropped: ${problem}`),
    ),
    ...(endpoint.tls === undefined ? {} : { transport: "tls", ...endpoint.tls, rejectUnauthorized: true }),
    ...(endpoint.sasl === "PLAIN" ? { username: endpoint.username, password: endpoint.password ?? "" } : {}),
    ...(endpoint.sasl === "EXTERNAL" ? { enable_sasl_external: true } : {}),
  } as ConnectionOptions;
  const backoff = createBackoff({ initialMs: 500, maxMs: 30_000 });
  let connection: Connection | undefined;
  let open = false;
  let openLinks = 0;
  let reconnects = 0;
  let closing = false;
  let retry: NodeJS.Timeout | undefined;
  let lastProblem = "";
  /** The links of the current connection. */
  let receivers: Receiver[] = [];

  const settle = (event: EventContext, from: Connection, result: ForwardOutcome) => {
    // A delivery of a connection that is gone is the broker's again: it redelivers it, and the
    // relay recognises the id if it already went on.
    if (from !== connection || !open) return;
    const delivery = event.delivery;
    if (delivery === undefined) return;
    if (result.outcome === "accept") delivery.accept();
    else if (result.outcome === "reject")
      delivery.reject({ condition: "herald:refused", description: result.reason.slice(0, 1000) });
    // The plain `released` outcome: RabbitMQ refuses `modified` (what `delivery_failed` sends)
    // and closes the session over it.
    else delivery.release();
    event.receiver?.add_credit(1);
  };

  // Outcomes in turns: rhea 3.0.5 gives two deliveries settled in one tick the first's outcome.
  const settler = createSettleInTurns<{ event: EventContext; from: Connection }>(({ event, from }, result) =>
    settle(event, from, result),
  );

  const connect = (): Promise<void> =>
    new Promise((resolve, reject) => {
      receivers = [];
      const current = container.connect(options);
      connection = current;
      let started = false;
      let failed = false;
      /**
       * Gives this connection up at once, whatever state rhea thinks it is in (a broker closing
       * from its side, a link or session it ended): its socket is destroyed, its events are
       * ignored from now on (its deliveries are the broker's again), and a new one is made.
       */
      const drop = (text: string) => {
        if (current !== connection) return;
        problem(text);
        connection = undefined;
        open = false;
        openLinks = 0;
        try {
          current.close();
        } catch {
          // Already closing: the socket goes anyway.
        }
        (current as unknown as { socket?: { destroy(): void } }).socket?.destroy();
        if (started && !failed) scheduleReconnect();
      };
      const problem = (text: string) => {
        if (failed) return;
        if (!started) {
          started = true;
          failed = true;
          reject(new HeraldError("E_TRANSPORT", `bridge ${bridge.name}: ${endpoint.display}: ${text}`));
        } else if (text !== lastProblem) logger.warn(`${bridge.name}: ${endpoint.display}: ${text}`);
        lastProblem = text;
      };
      current.on("connection_open", () => {
        open = true;
        for (const address of addresses) {
          const topic = /^(topic:\/\/|\/topic\/|\/exchange\/)/.test(address);
          const receiver = current.open_receiver({
            name: addresses.length === 1 ? subscription : `${subscription}-${addresses.indexOf(address)}`,
            source: topic ? { address, durable: 2, expiry_policy: "never" } : { address },
            autoaccept: false,
            credit_window: 0,
          });
          receivers.push(receiver);
          receiver.on("receiver_open", () => {
            openLinks++;
            receiver.add_credit(credit);
            if (openLinks === addresses.length && !started) {
              started = true;
              backoff.reset();
              lastProblem = "";
              resolve();
            }
          });
          receiver.on("receiver_error", (event: EventContext) =>
            drop(`cannot read ${address}: ${describeError(event.receiver?.error)}`),
          );
          receiver.on("message", (event: EventContext) => {
            const message = event.message as Message;
            // A subject or to that is not a string (a broker may send any AMQP type) is not used.
            const named = [message.subject, message.to].find((value) => typeof value === "string" && value !== "");
            const key = addressKey((named as string | undefined) ?? address);
            void forwarder
              .forward(`message ${key} (${describeId(message.message_id) ?? "no id"})`, () =>
                convert(foreignMessageOf(message, key)),
              )
              .then((result) => settler.push({ event, from: current }, result));
          });
        }
      });
      current.on("connection_error", (event: EventContext) =>
        problem(`refused the connection: ${describeError(event.error ?? event.connection.error)}`),
      );
      // The broker ended the session (a close of all connections, a node drain, a queue deleted):
      // the connection is dropped and made again.
      current.on("session_error", (event: EventContext) =>
        drop(`ended the session: ${describeError(event.session?.error)}`),
      );
      current.on("error", (error: Error) => drop(error.message));
      current.on("disconnected", (event: EventContext) => {
        if (current !== connection) return;
        open = false;
        openLinks = 0;
        if (closing || failed) return;
        problem(`disconnected${event.error ? `: ${(event.error as Error).message}` : ""}`);
        if (started) scheduleReconnect();
      });
    });

  const scheduleReconnect = () => {
    if (closing || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      reconnects++;
      connect().then(
        () => logger.info(`${bridge.name}: connected again to ${endpoint.display}`),
        (error: Error) => {
          if (error.message !== lastProblem) logger.warn(error.message);
          scheduleReconnect();
        },
      );
    }, backoff.next());
  };

  try {
    await connect();
  } catch (error) {
    closing = true;
    connection?.close();
    await forwarder.close();
    throw error;
  }
  return {
    sources: [{ ...forwarder.direction.source, reconnects: () => reconnects }],
    healthy: () => open && openLinks === addresses.length,
    async close() {
      closing = true;
      if (retry !== undefined) clearTimeout(retry);
      // Every message being forwarded is settled (messages waiting for a relay are released)
      // before the links close.
      await forwarder.close();
      // Every outcome written before the connection closes.
      await settler.drained();
      const current = connection;
      if (current !== undefined && open) {
        await new Promise<void>((resolve) => {
          const done = setTimeout(resolve, 2000);
          current.once("connection_close", () => {
            clearTimeout(done);
            resolve();
          });
          current.close();
        });
      }
      open = false;
    },
  };
}

/** What the rules and the envelope need from an AMQP 1.0 message. */
function foreignMessageOf(message: Message, key: string): ForeignMessage {
  const body = message.body as unknown;
  let payload: unknown = body;
  if (isSection(body)) {
    if (body.typecode !== dataSection) throw new HeraldError("E_ENVELOPE", "the body is not one data section");
    payload = body.content;
  } else if (typeof body === "object" && body !== null && !Buffer.isBuffer(body)) {
    // An AMQP map (amqp-value): read again as JSON text, so the bounded reader sees it whole.
    try {
      payload = JSON.stringify(body);
    } catch {
      throw new HeraldError("E_ENVELOPE", "the body is not JSON");
    }
  }
  const id = describeId(message.message_id);
  const time = message.creation_time instanceof Date ? message.creation_time : undefined;
  return {
    key,
    data: jsonObjectOf(payload, message.content_encoding) as ForeignMessage["data"],
    ...(id === undefined ? {} : { messageId: id }),
    ...(time === undefined || Number.isNaN(time.getTime()) ? {} : { time }),
  };
}

function isSection(body: unknown): body is { typecode: number; content: unknown } {
  return typeof body === "object" && body !== null && "typecode" in body && "content" in body;
}

/** An AMQP 1.0 message id as text: strings as they are, binary and UUIDs in hex. */
function describeId(id: unknown): string | undefined {
  if (id === undefined || id === null || id === "") return undefined;
  if (Buffer.isBuffer(id)) return id.toString("hex");
  return String(id);
}

function describeError(error: unknown): string {
  if (error === undefined || error === null) return "no reason given";
  const { condition, description, message } = error as { condition?: string; description?: string; message?: string };
  return [condition, description ?? message].filter(Boolean).join(": ") || String(error);
}
