import { generateSigningKey, type SigningKey } from "./keys.js";
import { parseTrustFile, type TrustStore } from "./trust.js";

/** A fresh key and a trust store that allows it `topics`, built in code for each test. */
export function makeSigner(keyid = "app.host01", topics = ["org.example.#"]): { key: SigningKey; trust: TrustStore } {
  const { signingKey } = generateSigningKey(keyid);
  const trust = parseTrustFile({ version: 1, keys: { [keyid]: { publicKey: signingKey.publicKeyBase64, topics } } });
  return { key: signingKey, trust };
}

/** Collects up to `count` messages of an async iterable, or fewer if `timeoutMs` passes first. */
export async function take<T>(iterable: AsyncIterable<T>, count: number, timeoutMs = 5000): Promise<T[]> {
  const items: T[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (items.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), remaining);
    });
    const result = await Promise.race([iterator.next(), timeout]);
    clearTimeout(timer);
    if (result === "timeout" || result.done) break;
    items.push(result.value);
  }
  return items;
}
