import { loadVectors } from "@herald/test-support";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";
import { nodeCryptoEngine, tweetnaclEngine } from "./ed25519.js";
import type { Envelope } from "./envelope.js";
import { parseSigningKey, signingKeyFromSeed } from "./keys.js";
import { signEnvelope, signingText } from "./signing.js";
import { isValidTopic } from "./topic.js";
import { topicMatches } from "./topic-pattern.js";
import { parseTrustFile } from "./trust.js";
import { verifyEnvelope, verifyEnvelopeAsync } from "./verify.js";

const vectors = loadVectors();
const trust = parseTrustFile(vectors.trust, "vectors.json trust");

describe("PROTOCOL.md test vectors", () => {
  it.each(vectors.canonicalization)("canonicalizes $canonical", ({ value, canonical }) => {
    expect(canonicalJson(value)).toBe(canonical);
  });

  it.each(vectors.topicValidity)("judges topic validity of $topic as $valid", ({ topic, valid }) => {
    expect(isValidTopic(topic)).toBe(valid);
  });

  it.each(vectors.topicPatterns)("matches $topic against $pattern: $match", ({ pattern, topic, match }) => {
    expect(topicMatches(pattern, topic)).toBe(match);
  });

  describe.each([nodeCryptoEngine, tweetnaclEngine])("signing with $name", (engine) => {
    it.each(vectors.signing)("reproduces the canonical string and signature of '$name'", (vector) => {
      const envelope = vector.envelope as unknown as Envelope;
      const key = signingKeyFromSeed(Buffer.from(vector.privateKeySeedHex, "hex"), envelope.keyid as string, engine);
      expect(signingText(envelope)).toBe(vector.canonical);
      const signed = signEnvelope(envelope, key);
      expect(signed.sig).toBe(vector.sig);
      expect(signed).toEqual(envelope);
    });
  });

  it.each(Object.entries(vectors.keys))("reads the PKCS#8 key of %s and derives its public key", (keyid, key) => {
    expect(parseSigningKey(key.pkcs8Pem, keyid).publicKeyBase64).toBe(key.publicKey);
    const fromSeed = signingKeyFromSeed(Buffer.from(key.seedHex, "hex"), keyid);
    expect(fromSeed.publicKeyBase64).toBe(key.publicKey);
  });

  it.each(vectors.verification)("verifies '$name' as $expect", ({ envelope, expect: outcome }) => {
    expect(verifyEnvelope(envelope, trust).outcome).toBe(outcome);
  });

  it.each(vectors.verification)(
    "verifies '$name' as $expect on the worker pool",
    async ({ envelope, expect: outcome }) => {
      expect((await verifyEnvelopeAsync(envelope, trust)).outcome).toBe(outcome);
    },
  );
});
