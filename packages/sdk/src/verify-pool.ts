import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * The worker's code, evaluated as CommonJS (`eval: true`) so the pool needs no separate file next
 * to the compiled module (and runs the same from TypeScript sources in tests). It verifies each
 * batch synchronously and answers one byte per job: with libsodium (`sodium-native`, about 40%
 * less CPU per signature than OpenSSL on this project's machine) when it loads, else OpenSSL.
 */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { createPublicKey, verify } = require("node:crypto");
let sodium;
try {
  sodium = workerData.sodium === null ? undefined : require(workerData.sodium);
} catch {}
const spkiHeader = Buffer.from("302a300506032b6570032100", "hex");
const keys = new Map();
const openssl = (raw, message, signature) => {
  const name = Buffer.from(raw).toString("latin1");
  let key = keys.get(name);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([spkiHeader, raw]), format: "der", type: "spki" });
    if (keys.size > 10000) keys.clear();
    keys.set(name, key);
  }
  return verify(null, message, key, signature);
};
const check = sodium === undefined
  ? openssl
  : (raw, message, signature) =>
      signature.length === 64 && raw.length === 32 &&
      sodium.crypto_sign_verify_detached(signature, message, raw);
parentPort.on("message", ({ batch, count, packed }) => {
  const bytes = Buffer.from(packed);
  const results = new Uint8Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const messageLength = bytes.readUInt32LE(at);
    const signatureLength = bytes.readUInt32LE(at + 4);
    const raw = bytes.subarray(at + 8, at + 40);
    const signature = bytes.subarray(at + 40, at + 40 + signatureLength);
    const message = bytes.subarray(at + 40 + signatureLength, at + 40 + signatureLength + messageLength);
    at += 40 + signatureLength + messageLength;
    try {
      results[i] = check(raw, message, signature) ? 1 : 0;
    } catch {
      results[i] = 0;
    }
  }
  parentPort.postMessage({ batch, results }, [results.buffer]);
});
`;

/** Where `sodium-native` is, for the workers to load (an eval'd worker cannot resolve packages itself). */
function sodiumPath(): string | null {
  try {
    return createRequire(import.meta.url).resolve("sodium-native");
  } catch {
    return null;
  }
}

type Job = [raw: Uint8Array, message: Uint8Array, signature: Uint8Array];

interface PoolWorker {
  worker: Worker;
  /** Batches sent and not answered: their jobs' resolvers, by batch number. */
  pending: Map<number, { jobs: Job[]; resolvers: ((ok: boolean) => void)[] }>;
  outstanding: number;
}

/**
 * A batch as one buffer, moved (not copied) to the worker: per job the message and signature
 * lengths (u32 LE), the 32-byte key, the signature, the message. Cloning an array of typed arrays
 * cost the main thread ~13 µs a job; this costs a copy of the bytes.
 */
function pack(jobs: readonly Job[]): ArrayBuffer {
  let size = 0;
  for (const [, message, signature] of jobs) size += 40 + signature.length + message.length;
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const [raw, message, signature] of jobs) {
    bytes.writeUInt32LE(message.length, at);
    bytes.writeUInt32LE(signature.length, at + 4);
    bytes.set(raw.length === 32 ? raw : new Uint8Array(32), at + 8);
    bytes.set(signature, at + 40);
    bytes.set(message, at + 40 + signature.length);
    at += 40 + signature.length + message.length;
  }
  return bytes.buffer as ArrayBuffer;
}

/** A batch this small, with every worker idle, is checked on the calling thread. */
const inlineAtMost = 4;

/** Jobs gathered before a batch leaves even if the event loop turn is not over. */
const maxBatch = 128;

/**
 * Ed25519 verification on worker threads, in batches: what subscribers use for every signed
 * message. Verifying through libuv's thread pool costs the main thread about 20 µs per signature
 * (a job object and a callback each, measured on this project's machine) and OpenSSL's verify; a
 * batch of up to 128 costs one message each way, and the workers use libsodium. One worker per
 * core; idle workers never keep a process alive. A few messages at a time, and the jobs of a worker that dies, are verified on
 * the main thread.
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
        worker: new Worker(workerSource, { eval: true, workerData: { sodium: sodiumPath() } }),
        pending: new Map(),
        outstanding: 0,
      };
      entry.worker.on("message", ({ batch, results }: { batch: number; results: Uint8Array }) => {
        const sent = entry.pending.get(batch);
        if (sent === undefined) return;
        entry.pending.delete(batch);
        entry.outstanding -= sent.jobs.length;
        if (entry.outstanding === 0) entry.worker.unref();
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
      // Idle workers never keep the process alive; busy ones do, until their answers are in.
      // (After the listeners: adding a "message" listener refs the worker again.)
      entry.worker.unref();
      return entry;
    });

  const send = () => {
    const batch = gathering;
    gathering = undefined;
    if (batch === undefined) return;
    workers ??= start();
    // A few messages while every worker is idle are checked here: a round trip to a worker would
    // cost more than the check (a relay acknowledging one git hook at a time). Larger batches go
    // to a worker even before it is online (they wait in its queue), so a burst never runs on
    // this thread and starves the event loop.
    if (batch.jobs.length <= inlineAtMost && workers.every((entry) => entry.outstanding === 0)) {
      batch.jobs.forEach((job, index) => {
        batch.resolvers[index]?.(fallback(job));
      });
      return;
    }
    const target = workers.reduce((least, entry) => (entry.outstanding < least.outstanding ? entry : least));
    const number = nextBatch++;
    target.pending.set(number, batch);
    if (target.outstanding === 0) target.worker.ref();
    target.outstanding += batch.jobs.length;
    const packed = pack(batch.jobs);
    target.worker.postMessage({ batch: number, count: batch.jobs.length, packed }, [packed]);
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
