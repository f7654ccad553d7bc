// A consumer process for the RabbitMQ benchmark: reads the durable queue with Bus.consume (each
// message acknowledged only after its handler ran), verifies it and appends its id to OUT_FILE.
// The benchmark kills it with SIGKILL midway and starts it again.
// Usage: amqp-consumer.js URL EXCHANGE QUEUE TRUST_FILE OUT_FILE
import { openSync, writeSync } from "node:fs";
import { createBus, loadTrustFile } from "@herald/sdk";
import { createAmqpTransport } from "@herald/transport-amqp";

const [url, exchange, queue, trustFile, outFile] = process.argv.slice(2);
const out = openSync(outFile, "a");
const bus = createBus({
  schemas: "none",
  transport: await createAmqpTransport({ url, exchange, queue, prefetch: 512 }),
  trust: loadTrustFile(trustFile),
});
await bus.consume(["org.example.#"], (message) => {
  // "Processed" = written to the file (the kernel has it even if this process is killed next).
  writeSync(out, `${message.envelope.id}\n`);
});
process.stderr.write("ready\n");
