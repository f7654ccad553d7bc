import { createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createVerifyPool } from "./verify-pool.js";

const spkiHeader = Buffer.from("302a300506032b6570032100", "hex");
const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(12));
  return { privateKey, raw };
};

describe("the verification pool", () => {
  it("answers every job of many batches right, for several keys, in any order of completion", async () => {
    let onThisThread = 0;
    const pool = createVerifyPool(2, ([raw, message, signature]) => {
      onThisThread++;
      const key = createPublicKey({ key: Buffer.concat([spkiHeader, raw]), format: "der", type: "spki" });
      return verify(null, message, key, signature);
    });
    const keys = [keyPair(), keyPair(), keyPair()];
    const jobs = Array.from({ length: 1500 }, (_, n) => {
      const key = keys[n % 3]!;
      const message = Buffer.from(`message ${n}`);
      const signature = sign(null, message, key.privateKey);
      // Every fifth is checked against the wrong key, every seventh with a changed message.
      const wrongKey = n % 5 === 0 ? keys[(n + 1) % 3]! : key;
      const checked = n % 7 === 0 ? Buffer.from(`message ${n}!`) : message;
      return { raw: wrongKey.raw, checked, signature, want: n % 5 !== 0 && n % 7 !== 0 };
    });
    const check = () => Promise.all(jobs.map((job) => pool(job.raw, job.checked, job.signature)));
    // Batches this large go to the workers, never to the calling thread.
    expect(await check()).toEqual(jobs.map((job) => job.want));
    // Again, with every worker idle (all answered): a burst still goes to them.
    const before = onThisThread;
    expect(await check()).toEqual(jobs.map((job) => job.want));
    expect(onThisThread).toBe(before);
  });

  it("says false for a signature of the wrong length rather than failing", async () => {
    const pool = createVerifyPool(1, () => false);
    const key = keyPair();
    expect(await pool(key.raw, Buffer.from("x"), Buffer.alloc(10))).toBe(false);
  });
});
