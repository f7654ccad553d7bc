import type { HeraldError } from "@herald/sdk";
import { Connection } from "rabbitmq-client";
import { amqpError } from "./amqp-consumer.js";

/** A connection to a broker that reconnects by itself, with what operations want to know of it. */
export interface AmqpConnection {
  readonly connection: Connection;
  readonly url: string;
  /** True while the connection is up. */
  connected(): boolean;
  /** How many times it was re-established. */
  reconnects(): number;
  close(): Promise<void>;
}

/**
 * Connects to a broker (the AMQP transport's, a bridge's), or to the first node of `cluster` that
 * answers, reconnecting with backoff afterwards (to the next node); `onError` hears of each loss.
 * @throws HeraldError `E_TRANSPORT` when the broker cannot be reached at start.
 */
export async function openAmqpConnection(
  url: string,
  connectionName: string,
  onError: (error: HeraldError) => void,
  cluster: readonly string[] = [url],
): Promise<AmqpConnection> {
  // A cluster's nodes are tried in turn, on connecting and on every reconnection after a loss.
  const hosts = cluster.map((node) => new URL(node).host);
  const connection = new Connection({
    url,
    connectionName,
    retryLow: 200,
    retryHigh: 10_000,
    ...(hosts.length > 1 ? { hosts } : {}),
  });
  let reconnects = 0;
  let connectedOnce = false;
  connection.on("error", (cause) => onError(amqpError(url, connectionName, cause)));
  connection.on("connection", () => {
    if (connectedOnce) reconnects++;
    connectedOnce = true;
  });
  try {
    await connection.onConnect(5000, true);
  } catch (cause) {
    await connection.close().catch(() => {});
    throw amqpError(url, "cannot connect to the broker", cause);
  }
  return {
    connection,
    url,
    connected: () => connection.ready,
    reconnects: () => reconnects,
    close: () => connection.close(),
  };
}
