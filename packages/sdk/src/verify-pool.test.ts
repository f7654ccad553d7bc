import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createVerifyPool } from "./verify-pool.js";

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(12));
  return { privateKey, raw };
};

describe("the verification pool", () => {
  it("answers every job of many batches right, for several keys, in any order of completion", async () => {
    const pool = createVerifyPool(2, () => {
      throw new Error("no fallback expected");
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
    const results = await Promise.all(jobs.map((job) => pool(job.raw, job.checked, job.signature)));
    expect(results).toEqual(jobs.map((job) => job.want));
  });

  it("says false for a signature of the wrong length rather than failing", async () => {
    const pool = createVerifyPool(1, () => false);
    const key = keyPair();
    expect(await pool(key.raw, Buffer.from("x"), Buffer.alloc(10))).toBe(false);
  });
});
