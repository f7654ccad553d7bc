import { Worker } from "node:worker_threads";
import type { Logger } from "@herald/sdk";
import type { FromThread, ThreadData, ToThread } from "./consumer-thread-protocol.js";
import type { AnyConsumer, ConsumerContext } from "./define-consumer.js";

/** Options of {@link startConsumerThread}. */
export interface ConsumerThreadOptions {
  /** The consumer's module (absolute path or package name), imported again inside the thread. */
  module: string;
  settings: Readonly<Record<string, unknown>>;
  logger: Logger;
  /** What `context.publish` does, run in the hub's thread (the signing key stays there). */
  publish?: ConsumerContext["publish"];
  /** How long a thread may leave a ping unanswered after an attempt was aborted before it is stopped (default 2000). */
  graceMs?: number;
}

/** A consumer's handler running in a worker thread of its own. */
export interface ConsumerThread {
  /** Resolves once the first thread imported the module; rejects with why it could not. */
  readonly started: Promise<void>;
  /** Runs one attempt in the thread; rejects when the handler threw or the thread ended or was stopped. */
  handle: AnyConsumer["handle"];
  /** Threads that ended (process.exit, an uncaught error) or were stopped (blocked), each replaced. */
  readonly restarts: number;
  /** Why the last thread ended, when one did. */
  readonly lastExit: string | undefined;
  /** Stops the thread; attempts still running reject. */
  close(): Promise<void>;
}

interface Attempt {
  worker: Worker;
  resolve(): void;
  reject(error: Error): void;
}

const workerFile = new URL("./consumer-thread-worker.js", import.meta.url);

/**
 * Runs a consumer's handler in a worker thread, so that what one consumer does — `process.exit()`,
 * an uncaught exception, a synchronous loop that never yields — cannot end or freeze the hub or the
 * other consumers. A thread that ends is replaced at the next message; one that does not answer
 * within `graceMs` after an attempt was aborted (its timeout) is stopped and replaced. Both are
 * logged and counted (`restarts`). Messages, settings and log lines cross by structured clone.
 */
export function startConsumerThread(options: ConsumerThreadOptions): ConsumerThread {
  const graceMs = options.graceMs ?? 2000;
  const attempts = new Map<number, Attempt>();
  // `suspect` is set while an alive check is out: new attempts wait for its answer rather than go to
  // a thread that may be stuck.
  let current: { worker: Worker; ready: Promise<Worker>; suspect?: Promise<void> | undefined } | undefined;
  let nextId = 0;
  let nextPing = 0;
  let restarts = 0;
  let lastExit: string | undefined;
  let closing = false;

  const start = () => {
    const data: ThreadData = {
      module: options.module,
      settings: options.settings,
      canPublish: options.publish !== undefined,
    };
    const worker = new Worker(workerFile, { workerData: data });
    let readyAt: number | undefined;
    let failure: string | undefined;
    let stoppedAsBlocked = false;
    const pongs = new Map<number, () => void>();
    const ready = new Promise<Worker>((resolve, reject) => {
      worker.on("message", (message: FromThread) => {
        switch (message.type) {
          case "ready":
            readyAt = Date.now();
            resolve(worker);
            break;
          case "done":
          case "failed": {
            const attempt = attempts.get(message.id);
            attempts.delete(message.id);
            if (message.type === "done") attempt?.resolve();
            else attempt?.reject(new Error(message.error));
            break;
          }
          case "log":
            options.logger[message.level](message.text);
            break;
          case "publish":
            publishFor(worker, message.call, message.event, message.data);
            break;
          case "pong":
            pongs.get(message.ping)?.();
            break;
        }
      });
      worker.on("error", (error) => {
        failure = `failed: ${error.message}`;
      });
      worker.on("exit", (code) => {
        if (current?.worker === worker) current = undefined;
        const reason = stoppedAsBlocked
          ? `was stopped: it did not answer for ${graceMs} ms after an attempt timed out (a handler that never yields?)`
          : (failure ?? `exited with code ${code}`);
        reject(new Error(`its thread ${reason}`));
        for (const [id, attempt] of attempts)
          if (attempt.worker === worker) {
            attempts.delete(id);
            attempt.reject(new Error(`its thread ${reason}`));
          }
        if (closing) return;
        restarts++;
        lastExit = reason;
        // A thread that had lived a while is replaced at once, so the next message does not wait
        // for a module to load; one that ends as soon as it starts only at the next message.
        const replaceNow = readyAt !== undefined && Date.now() - readyAt > 1000;
        options.logger.error(
          `its thread ${reason}; ${replaceNow ? "a new one starts" : "a new one starts with the next message"}`,
        );
        if (replaceNow) start();
      });
    });
    // Awaited by every attempt; this only keeps a failed start from being reported as unhandled.
    ready.catch(() => {});
    const entry: NonNullable<typeof current> = { worker, ready };
    const checkAlive = () => {
      if (entry.suspect !== undefined) return;
      const ping = nextPing++;
      entry.suspect = new Promise<void>((answered) => {
        const timer = setTimeout(() => {
          pongs.delete(ping);
          stoppedAsBlocked = true;
          worker.terminate().then(() => answered());
        }, graceMs);
        pongs.set(ping, () => {
          clearTimeout(timer);
          pongs.delete(ping);
          entry.suspect = undefined;
          answered();
        });
      });
      send(worker, { type: "ping", ping });
    };
    current = entry;
    aliveCheckOf.set(worker, checkAlive);
    return current;
  };
  const aliveCheckOf = new WeakMap<Worker, () => void>();

  const send = (worker: Worker, message: ToThread) => {
    try {
      worker.postMessage(message);
    } catch {
      // The thread is gone: its exit handler settles what waited on it.
    }
  };
  const publishFor = (worker: Worker, call: number, event: string, data: object) => {
    const publish = options.publish;
    if (publish === undefined) return send(worker, { type: "published", call, error: "this hub cannot publish" });
    publish(event, data).then(
      () => send(worker, { type: "published", call }),
      (error: Error) => send(worker, { type: "published", call, error: error.message }),
    );
  };

  const first = start().ready;
  return {
    started: first.then(() => undefined),
    async handle(message, context) {
      if (closing) throw new Error("the hub is stopping");
      context.signal.throwIfAborted();
      let thread = current ?? start();
      while (thread.suspect !== undefined) {
        await thread.suspect;
        thread = current ?? start();
      }
      const worker = await thread.ready;
      // The attempt may have timed out while it waited: it must not start late, behind the runner's back.
      context.signal.throwIfAborted();
      const id = nextId++;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          // The runner has given up on this attempt: forget it here, tell the handler, and make sure
          // the thread still answers.
          attempts.delete(id);
          reject(context.signal.reason);
          send(worker, { type: "abort", id, reason: String((context.signal.reason as Error)?.message ?? "aborted") });
          aliveCheckOf.get(worker)?.();
        };
        const settle = (then: () => void) => () => {
          context.signal.removeEventListener("abort", onAbort);
          then();
        };
        attempts.set(id, {
          worker,
          resolve: settle(resolve),
          reject: (error) => settle(() => reject(error))(),
        });
        context.signal.addEventListener("abort", onAbort, { once: true });
        send(worker, { type: "handle", id, attempt: context.attempt, message });
      });
    },
    get restarts() {
      return restarts;
    },
    get lastExit() {
      return lastExit;
    },
    async close() {
      closing = true;
      const worker = current?.worker;
      current = undefined;
      await worker?.terminate();
    },
  };
}
