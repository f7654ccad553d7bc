// A separate publishing process for the RabbitMQ benchmark: publishes COUNT signed messages with
// publisher confirms, WINDOW of them awaiting their confirm at a time, then prints
// {"sent": N, "ms": T} on stdout. Usage: amqp-publisher.js URL EXCHANGE KEY_FILE COUNT WINDOW

import { createBus, loadSigningKey } from "@herald/sdk";
import { createAmqpTransport } from "@herald/transport-amqp";

const [url, exchange, keyFile, countArg, windowArg] = process.argv.slice(2);
const count = Number(countArg);
const window = Number(windowArg);
const bus = createBus({
  schemas: "none",
  transport: await createAmqpTransport({ url, exchange }),
  prefix: "org.example",
  environment: "prod",
  signingKey: loadSigningKey(keyFile, "git.bench01"),
});
const started = performance.now();
let next = 0;
// WINDOW workers, each publishing (and awaiting the broker's confirm) one message after another.
const worker = async () => {
  while (next < count) {
    const n = next++;
    await bus.publish("git.receive", {
      repo: "herald",
      branch: "main",
      rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
      summary: `message ${n}`,
    });
  }
};
await Promise.all(Array.from({ length: window }, worker));
const ms = performance.now() - started;
await bus.close();
process.stdout.write(`${JSON.stringify({ sent: count, ms })}\n`);
