// The worker thread one isolated consumer runs in (see consumer-thread.ts for the other side).
// It imports the consumer's module, runs `handle` for each message the hub posts, and reports how
// each attempt ended. Whatever the consumer does here — process.exit(), an uncaught exception, a
// loop that never yields — ends or freezes this thread only: the hub and the other consumers go on.
import { parentPort, workerData } from "node:worker_threads";
import type { Logger } from "@herald/sdk";
import { importModuleDefault } from "./consumer-module.js";
import type { ThreadData, ToThread } from "./consumer-thread-protocol.js";
import type { AnyConsumer, ConsumerContext } from "./define-consumer.js";

const port = parentPort;
if (port === null) throw new Error("consumer-thread-worker runs as a worker thread of herald hub");
const data = workerData as ThreadData;

const post = port.postMessage.bind(port);
const logger: Logger = {
  info: (text) => post({ type: "log", level: "info", text }),
  warn: (text) => post({ type: "log", level: "warn", text }),
  error: (text) => post({ type: "log", level: "error", text }),
};
const running = new Map<number, AbortController>();
const publishing = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let nextCall = 0;

const publish: ConsumerContext["publish"] = (event, payload) =>
  new Promise<void>((resolve, reject) => {
    const call = nextCall++;
    publishing.set(call, { resolve, reject });
    post({ type: "publish", call, event, data: payload });
  });

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const consumer = (await importModuleDefault(data.module)) as AnyConsumer;
if (typeof consumer?.handle !== "function") throw new Error(`consumer ${data.module}: handle must be a function`);

port.on("message", (message: ToThread) => {
  switch (message.type) {
    case "handle": {
      const controller = new AbortController();
      running.set(message.id, controller);
      const context: ConsumerContext = {
        settings: data.settings,
        logger,
        signal: controller.signal,
        attempt: message.attempt,
      };
      if (data.canPublish) context.publish = publish;
      Promise.resolve()
        .then(() => consumer.handle(message.message, context))
        .then(
          () => post({ type: "done", id: message.id }),
          (error: unknown) => post({ type: "failed", id: message.id, error: messageOf(error) }),
        )
        .finally(() => running.delete(message.id));
      break;
    }
    case "abort":
      running.get(message.id)?.abort(new Error(message.reason));
      break;
    case "published": {
      const waiting = publishing.get(message.call);
      publishing.delete(message.call);
      if (message.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
      break;
    }
    case "ping":
      post({ type: "pong", ping: message.ping });
      break;
  }
});
post({ type: "ready" });
