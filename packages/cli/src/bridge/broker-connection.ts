import { amqpError, HeraldError, type Logger } from "@herald/sdk";
import { type AsyncMessage, Connection } from "rabbitmq-client";

/** A connection to a broker that is not (only) Herald's: fedora-messaging's, another organisation's. */
export interface BrokerConnection {
  readonly connection: Connection;
  readonly url: string;
  connected(): boolean;
  reconnects(): number;
  close(): Promise<void>;
}

/**
 * Connects (reconnecting with backoff afterwards, like the AMQP transport).
 * @throws HeraldError `E_TRANSPORT` when the broker cannot be reached at start.
 */
export async function connectBroker(url: string, name: string, logger: Logger): Promise<BrokerConnection> {
  const connection = new Connection({ url, connectionName: `herald-bridge-${name}`, retryLow: 200, retryHigh: 10_000 });
  let reconnects = 0;
  let connectedOnce = false;
  connection.on("error", (cause) => logger.warn(amqpError(url, `bridge ${name}`, cause).message));
  connection.on("connection", () => {
    if (connectedOnce) reconnects++;
    connectedOnce = true;
  });
  try {
    await connection.onConnect(5000, true);
  } catch (cause) {
    await connection.close().catch(() => {});
    throw amqpError(url, `bridge ${name}: cannot connect to the broker`, cause);
  }
  return {
    connection,
    url,
    connected: () => connection.ready,
    reconnects: () => reconnects,
    close: () => connection.close(),
  };
}

/**
 * The JSON object in an AMQP message's body, however it was sent (`rabbitmq-client` parses
 * `application/json` without an encoding itself; fedora-messaging sets `utf-8`, so that arrives as bytes).
 * @throws HeraldError `E_ENVELOPE` when the body is not a JSON object.
 */
export function jsonBodyOf(message: AsyncMessage): object {
  let body: unknown = message.body;
  if (Buffer.isBuffer(body) || typeof body === "string") {
    try {
      body = JSON.parse(body.toString());
    } catch {
      throw new HeraldError("E_ENVELOPE", "the body is not JSON");
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new HeraldError("E_ENVELOPE", "the body is not a JSON object");
  return body;
}

/** The header a bridge puts on what it publishes, so it can leave its own messages alone. */
export const bridgeHeader = "x-herald-bridge";
