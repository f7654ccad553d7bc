import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The shape of `shared/spec/vectors.json`. */
export interface Vectors {
  keys: Record<string, { seedHex: string; publicKey: string; pkcs8Pem: string }>;
  trust: unknown;
  signing: {
    name: string;
    privateKeySeedHex: string;
    envelope: Record<string, unknown>;
    canonical: string;
    sig: string;
  }[];
  verification: { name: string; envelope: unknown; expect: string }[];
  topicPatterns: { pattern: string; topic: string; match: boolean }[];
  topicValidity: { topic: string; valid: boolean }[];
  canonicalization: { value: unknown; canonical: string }[];
}

/** The repository's root folder. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The folder holding PROTOCOL.md and vectors.json: `HERALD_SPEC_DIR`, else `<repo>/../shared/spec`. */
export const specDir = process.env.HERALD_SPEC_DIR ?? resolve(repoRoot, "../shared/spec");

/** Reads the shared test vectors; throws when they are missing, so no test silently passes without them. */
export function loadVectors(): Vectors {
  return JSON.parse(readFileSync(join(specDir, "vectors.json"), "utf8")) as Vectors;
}
