import { randomBytes } from "node:crypto";
import * as noble from "@noble/ed25519";
import { canonicalize as independentJcs } from "json-canonicalize";
import { describe, expect, it } from "vitest";
import { nodeCryptoEngine, tweetnaclEngine } from "./ed25519.js";
import { createEnvelope, type JsonObject } from "./envelope.js";
import { signingKeyFromSeed } from "./keys.js";
import { signEnvelope } from "./signing.js";

/** A random JSON value with awkward numbers, strings and key orders. */
function randomValue(depth: number): unknown {
  const choice = randomBytes(1)[0]! % (depth > 2 ? 4 : 7);
  const numbers = [0, -0, 1e21, 1e-7, 0.1, 1.5e300, -1e-300, 9007199254740991, 123.456, -42];
  const strings = ["", "é€😀", 'tab\tquote"back\\', "\u0001\u001f\u007f\u2028", "línea\n", "/"];
  switch (choice) {
    case 0:
      return numbers[randomBytes(1)[0]! % numbers.length];
    case 1:
      return strings[randomBytes(1)[0]! % strings.length] + randomBytes(3).toString("hex");
    case 2:
      return randomBytes(1)[0]! % 2 === 0;
    case 3:
      return null;
    case 4:
      return Array.from({ length: randomBytes(1)[0]! % 4 }, () => randomValue(depth + 1));
    default:
      return randomObject(depth + 1);
  }
}

function randomObject(depth: number): JsonObject {
  const keys = ["a", "B", "_", "é", "€", "😀", "zz", "a1", "10", "9"];
  const object: JsonObject = {};
  for (let i = randomBytes(1)[0]! % 6; i > 0; i--) {
    object[keys[randomBytes(1)[0]! % keys.length]! + randomBytes(1).toString("hex")] = randomValue(depth);
  }
  return object;
}

describe("signing agrees with an independent Ed25519 and RFC 8785 implementation", () => {
  it.each([nodeCryptoEngine, tweetnaclEngine])(
    "$name: 200 random keys and messages sign byte for byte alike",
    async (engine) => {
      for (let round = 0; round < 200; round++) {
        const seed = randomBytes(32);
        const key = signingKeyFromSeed(seed, "random.key", engine);
        const envelope = createEnvelope({ topic: "org.example.dev.fuzz.value.check", data: randomObject(0) });
        const signed = signEnvelope(envelope, key);

        const { sig: _sig, ...unsigned } = signed;
        const input = new TextEncoder().encode(`herald-sig-v1\n${independentJcs(unsigned)}`);
        const expected = await noble.signAsync(input, seed);
        expect(signed.sig).toBe(Buffer.from(expected).toString("base64"));
        expect(Buffer.from(await noble.getPublicKeyAsync(seed)).toString("base64")).toBe(key.publicKeyBase64);
      }
    },
  );
});
