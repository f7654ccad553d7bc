import { execFile } from "node:child_process";
import { createConnection } from "node:net";
import { promisify } from "node:util";
import { Connection } from "rabbitmq-client";

/** The RabbitMQ the tests use: this machine's (guest/guest), or `HERALD_TEST_AMQP`. */
export const testAmqpUrl = process.env.HERALD_TEST_AMQP ?? "amqp://guest:guest@127.0.0.1:5672";

/**
 * Whether the RabbitMQ cases run. In CI always: a missing broker then fails them rather than
 * skipping them. On a laptop without RabbitMQ they are skipped.
 */
export async function rabbitmqAvailable(): Promise<boolean> {
  if (process.env.CI === "true") return true;
  const { hostname, port } = new URL(testAmqpUrl);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 5672) });
    socket.setTimeout(2000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Deletes what a test declared on the broker (queues first, then exchanges), whether it passed or not. */
export async function deleteAmqpTopology(topology: { queues?: string[]; exchanges?: string[] }): Promise<void> {
  const connection = new Connection(testAmqpUrl);
  try {
    const channel = await connection.acquire();
    for (const queue of topology.queues ?? []) await channel.queueDelete({ queue });
    for (const exchange of topology.exchanges ?? []) await channel.exchangeDelete({ exchange });
    await channel.close();
  } finally {
    await connection.close();
  }
}

/**
 * How many queues the local RabbitMQ has bound to `exchange` now (`rabbitmqctl list_bindings`), or
 * whether `queue` is among them (1 or 0): a broker subscriber (a tail, a store, a bridge) is ready
 * once its queue is bound, the AMQP form of waiting for a ZeroMQ subscriber to join.
 */
export async function amqpBindings(exchange: string, queue?: string): Promise<number> {
  const { stdout } = await promisify(execFile)("rabbitmqctl", [
    "list_bindings",
    "-q",
    "--no-table-headers",
    "source_name",
    "destination_name",
  ]);
  const queues = stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([source, destination]) => source === exchange && (queue === undefined || destination === queue))
    .map(([, destination]) => destination);
  return new Set(queues).size;
}

/** How many messages wait (ready, not yet delivered) in a queue. */
export async function amqpQueueDepth(queue: string): Promise<number> {
  const connection = new Connection(testAmqpUrl);
  try {
    const channel = await connection.acquire();
    const { messageCount } = await channel.queueDeclare({ queue, passive: true });
    await channel.close();
    return messageCount;
  } finally {
    await connection.close();
  }
}

/** A topic exchange of a test's own on the test broker: see {@link startTestExchange}. */
export interface TestExchange {
  /** `<prefix>.<random>`, declared durable. */
  exchange: string;
  /** `<exchange>.bridge`: the name to give the queue a bridge reads (it and `.dead` are deleted afterwards). */
  queue: string;
  /** A connection to the broker, to publish on the exchange and inspect queues. */
  connection: Connection;
}

/**
 * Declares a durable topic exchange as another organisation would have it, and registers with
 * `cleanup` its deletion (with the queue beside it and its `.dead`) and the connection's close.
 */
export async function startTestExchange(
  cleanup: { add(cleanup: () => unknown): void },
  prefix = "herald.test",
): Promise<TestExchange> {
  const exchange = `${prefix}.${Math.random().toString(16).slice(2, 10)}`;
  const queue = `${exchange}.bridge`;
  cleanup.add(() => deleteAmqpTopology({ queues: [queue, `${queue}.dead`], exchanges: [exchange] }));
  const connection = new Connection(testAmqpUrl);
  cleanup.add(() => connection.close());
  const channel = await connection.acquire();
  await channel.exchangeDeclare({ exchange, type: "topic", durable: true });
  await channel.close();
  return { exchange, queue, connection };
}
