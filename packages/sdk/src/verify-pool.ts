import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * The worker's code, evaluated as CommonJS (`eval: true`) so the pool needs no separate file next
 * to the compiled module (and runs the same from TypeScript sources in tests). It verifies each
 * batch synchronously with OpenSSL and answers one byte per job.
 */
const workerSource = `
const { parentPort } = require("node:worker_threads");
const { createPublicKey, verify } = require("node:crypto");
const spkiHeader = Buffer.from("302a300506032b6570032100", "hex");
const keys = new Map();
parentPort.on("message", ({ batch, jobs }) => {
  const results = new Uint8Array(jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    const [raw, message, signature] = jobs[i];
    const name = Buffer.from(raw).toString("latin1");
    let key = keys.get(name);
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.concat([spkiHeader, raw]), format: "der", type: "spki" });
      if (keys.size > 10000) keys.clear();
      keys.set(name, key);
    }
    try {
      results[i] = verify(null, message, key, signature) ? 1 : 0;
    } catch {
      results[i] = 0;
    }
  }
  parentPort.postMessage({ batch, results }, [results.buffer]);
});
`;

type Job = [raw: Uint8Array, message: Uint8Array, signature: Uint8Array];

interface PoolWorker {
  worker: Worker;
  /** Batches sent and not answered: their jobs' resolvers, by batch number. */
  pending: Map<number, { jobs: Job[]; resolvers: ((ok: boolean) => void)[] }>;
  outstanding: number;
}

/** Jobs gathered before a batch leaves even if the event loop turn is not over. */
const maxBatch = 128;

/**
 * Ed25519 verification on worker threads, in batches. Verifying through libuv's thread pool costs
 * the main thread about 20 µs per signature (a job object and a callback each, measured on this
 * project's machine); a batch of up to 128 costs one message each way, which leaves the main
 * thread free to receive and deliver. One worker per core, unreferenced so it never keeps a
 * process alive. A worker that dies has its jobs verified on the main thread instead: slower, never
 * wrong.
 */
export function createVerifyPool(
  size = Math.max(1, availableParallelism()),
  fallback: (job: Job) => boolean,
): (raw: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean> {
  let workers: PoolWorker[] | undefined;
  let nextBatch = 0;
  let gathering: { jobs: Job[]; resolvers: ((ok: boolean) => void)[] } | undefined;

  const start = (): PoolWorker[] =>
    Array.from({ length: size }, () => {
      const entry: PoolWorker = {
        worker: new Worker(workerSource, { eval: true }),
        pending: new Map(),
        outstanding: 0,
      };
      entry.worker.unref();
      entry.worker.on("message", ({ batch, results }: { batch: number; results: Uint8Array }) => {
        const sent = entry.pending.get(batch);
        if (sent === undefined) return;
        entry.pending.delete(batch);
        entry.outstanding -= sent.jobs.length;
        sent.resolvers.forEach((resolve, index) => {
          resolve(results[index] === 1);
        });
      });
      const fail = () => {
        workers = workers?.filter((other) => other !== entry);
        if (workers?.length === 0) workers = undefined;
        for (const sent of entry.pending.values())
          sent.jobs.forEach((job, index) => {
            sent.resolvers[index]?.(fallback(job));
          });
        entry.pending.clear();
      };
      entry.worker.on("error", fail);
      entry.worker.on("exit", fail);
      return entry;
    });

  const send = () => {
    const batch = gathering;
    gathering = undefined;
    if (batch === undefined) return;
    workers ??= start();
    const target = workers.reduce((least, entry) => (entry.outstanding < least.outstanding ? entry : least));
    const number = nextBatch++;
    target.pending.set(number, batch);
    target.outstanding += batch.jobs.length;
    target.worker.postMessage({ batch: number, jobs: batch.jobs });
  };

  return (raw, message, signature) =>
    new Promise((resolve) => {
      if (gathering === undefined) {
        gathering = { jobs: [], resolvers: [] };
        setImmediate(send);
      }
      gathering.jobs.push([raw, message, signature]);
      gathering.resolvers.push(resolve);
      if (gathering.jobs.length >= maxBatch) send();
    });
}
