import { appAvailable, createCleanup, startAmqp10Broker, until } from "@herald/test-support";
import rhea, { type Delivery, type EventContext } from "rhea";
import { afterAll, describe, expect, it } from "vitest";
import type { ForwardOutcome } from "./bus-forwarder.js";
import { createSettleInTurns } from "./settle-in-turns.js";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

/** Receives `count` messages of `queue` with rhea, then settles them with `outcomes` in one tick. */
async function receiveAndSettle(port: number, queue: string, outcomes: ForwardOutcome[], inTurns: boolean) {
  const container = rhea.create_container({ id: `settle-${queue}` });
  const connection = container.connect({
    host: "localhost",
    port,
    username: "guest",
    password: "guest",
    reconnect: false,
  });
  const deliveries: Delivery[] = [];
  const receiver = connection.open_receiver({
    source: { address: `/amq/queue/${queue}` },
    autoaccept: false,
    credit_window: 0,
  });
  receiver.on("receiver_open", () => receiver.add_credit(outcomes.length));
  receiver.on("message", (event: EventContext) => deliveries.push(event.delivery as Delivery));
  await until(() => deliveries.length === outcomes.length, `${outcomes.length} deliveries`);
  const apply = (delivery: Delivery, result: ForwardOutcome) => {
    if (result.outcome === "accept") delivery.accept();
    else if (result.outcome === "reject") delivery.reject({ condition: "herald:refused", description: result.reason });
    else delivery.release();
  };
  const settler = createSettleInTurns<Delivery>(apply);
  // All in one tick, as the bridge's forwarder resolves them when a relay answers a batch.
  for (const [n, result] of outcomes.entries()) {
    if (inTurns) settler.push(deliveries[n] as Delivery, result);
    else apply(deliveries[n] as Delivery, result);
  }
  await settler.drained();
  await new Promise<void>((resolve) => {
    connection.once("connection_close", () => resolve());
    connection.close();
  });
}

describe.skipIf(!appAvailable("rabbitmq amqp 1.0"))("outcomes settled together, against RabbitMQ's AMQP 1.0", () => {
  it("each delivery keeps its own outcome when settled in turns", async () => {
    const broker = await startAmqp10Broker();
    cleanup.add(() => broker.stop());
    const port = Number(new URL(broker.plainUrl).port);
    const cases: Array<{ name: string; outcomes: ForwardOutcome[]; dead: number; ready: number }> = [
      {
        name: "reject-accept",
        outcomes: [{ outcome: "reject", reason: "poison" }, { outcome: "accept" }],
        dead: 1,
        ready: 0,
      },
      {
        name: "accept-reject",
        outcomes: [{ outcome: "accept" }, { outcome: "reject", reason: "poison" }],
        dead: 1,
        ready: 0,
      },
      { name: "accept-release", outcomes: [{ outcome: "accept" }, { outcome: "release" }], dead: 0, ready: 1 },
    ];
    for (const { name, outcomes, dead, ready } of cases) {
      await broker.declareQueue(name, `${name}.#`);
      await broker.publish(outcomes.map((_, n) => ({ subject: `${name}.x`, body: "{}", id: `${name}-${n}` })));
      await receiveAndSettle(port, name, outcomes, true);
      await until(
        async () => (await broker.queueCounts(`${name}.dead`)).ready === dead,
        `${name}: ${dead} dead-lettered`,
      );
      expect([name, (await broker.queueCounts(name)).ready, (await broker.queueCounts(`${name}.dead`)).ready]).toEqual([
        name,
        ready,
        dead,
      ]);
    }
  }, 120_000);
});
