// The RabbitMQ benchmark: signed messages published with confirms into a durable queue, consumed
// by a process that is killed (SIGKILL) partway and started again; every message must be processed.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Connection } from "rabbitmq-client";
import { median } from "./measure.js";
import { runProcess, startProcess } from "./processes.js";

/** The RabbitMQ of this machine (guest/guest), or HERALD_BENCH_AMQP. */
const amqpUrl = process.env.HERALD_BENCH_AMQP ?? "amqp://guest:guest@127.0.0.1:5672";
const publisherScript = fileURLToPath(new URL("./amqp-publisher.js", import.meta.url));
const consumerScript = fileURLToPath(new URL("./amqp-consumer.js", import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The ids the consumer wrote so far: how many lines, and how many distinct. */
function processed(file) {
  if (!existsSync(file)) return { lines: 0, distinct: 0 };
  const ids = readFileSync(file, "utf8").split("\n").filter(Boolean);
  return { lines: ids.length, distinct: new Set(ids).size };
}

async function deleteTopology(queue, exchange) {
  const connection = new Connection(amqpUrl);
  const channel = await connection.acquire();
  await channel.queueDelete({ queue });
  await channel.queueDelete({ queue: `${queue}.dead` });
  await channel.exchangeDelete({ exchange });
  await channel.close();
  await connection.close();
}

/**
 * One run; returns the publish rate, the consumption rate and the redeliveries. Throws on any
 * loss. `live`: the consumer reads while the publisher publishes (the three processes share the
 * machine's two cores with RabbitMQ); otherwise it starts on a backlog of `count` messages.
 */
async function killAndRestartRun({ count, dir, keyFile, trustFile, run, live }) {
  const exchange = `herald.bench.${randomBytes(4).toString("hex")}`;
  const queue = `${exchange}.consumer`;
  const outFile = join(dir, `amqp-processed-${live ? "live" : "backlog"}-${run}.txt`);
  const startConsumer = async () => {
    const consumer = startProcess(consumerScript, [amqpUrl, exchange, queue, trustFile, outFile]);
    await consumer.waitFor(/ready/);
    return consumer;
  };
  const publish = () => runProcess(publisherScript, [amqpUrl, exchange, keyFile, String(count), "256"]);
  try {
    // The consumer declares its durable queue first, so nothing published is unroutable.
    let consumer = await startConsumer();
    let publishing;
    if (!live) {
      consumer.child.kill("SIGTERM");
      await consumer.exited;
      publishing = await publish();
      consumer = await startConsumer();
    }
    const started = performance.now();
    if (live) publishing = publish();
    while (processed(outFile).lines < count * 0.4) await sleep(20);
    consumer.child.kill("SIGKILL");
    await consumer.exited;
    consumer = await startConsumer();
    const deadline = Date.now() + 180_000;
    while (processed(outFile).distinct < count && Date.now() < deadline) await sleep(50);
    const ms = performance.now() - started;
    const { sent, ms: publishMs } = JSON.parse((await publishing).stdout);
    consumer.child.kill("SIGTERM");
    await consumer.exited;
    const { lines, distinct } = processed(outFile);
    if (distinct !== count)
      throw new Error(`bench: amqp: ${count - distinct} of ${count} messages were never processed`);
    return { publishRate: (sent / publishMs) * 1000, consumeRate: (count / ms) * 1000, redelivered: lines - distinct };
  } finally {
    await deleteTopology(queue, exchange);
  }
}

/** `--only amqp`. */
export async function benchAmqp({ record, want, runs, scale, dir, keyFile, trustFile }) {
  if (!want("amqp")) return;
  const count = Math.round(50_000 * scale);
  const note = `${count.toLocaleString("en")} signed, durable queue, consumer SIGKILLed at 40% and restarted, all processed`;
  for (const live of [true, false]) {
    const results = [];
    for (let run = 0; run < runs; run++)
      results.push(await killAndRestartRun({ count, dir, keyFile, trustFile, run, live }));
    const mode = live ? "while publishing" : "from a backlog";
    if (live)
      record(
        "amqp: publish with confirms, consumer running",
        median(results.map((one) => one.publishRate)),
        "msg/s",
        note,
      );
    else record("amqp: publish with confirms, alone", median(results.map((one) => one.publishRate)), "msg/s", note);
    record(
      `amqp: consume ${mode}, through kill + restart`,
      median(results.map((one) => one.consumeRate)),
      "msg/s",
      note,
    );
    record(
      `amqp: redelivered after the kill (${mode})`,
      median(results.map((one) => one.redelivered)),
      "msgs",
      "handled twice: at-least-once",
    );
  }
}
