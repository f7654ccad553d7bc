import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { createRequire } from "node:module";
import nacl from "tweetnacl";
import { createVerifyPool } from "./verify-pool.js";

/**
 * Ed25519 on one of two engines. `node:crypto` (OpenSSL) is the default and 100-250x faster;
 * `tweetnacl` is kept only for runtimes whose `node:crypto` lacks Ed25519. Both produce identical
 * signatures: Ed25519 is deterministic.
 */
export interface Ed25519Engine {
  readonly name: "node:crypto" | "tweetnacl";
  /** Prepares a private key once from its 32-byte seed. */
  privateKey(seed: Uint8Array): Ed25519PrivateKey;
  /** Prepares a public key once from its 32 raw bytes. */
  publicKey(raw: Uint8Array): Ed25519PublicKey;
}

/** A prepared private key: parse once, sign many. */
export interface Ed25519PrivateKey {
  /** The 32 raw bytes of the matching public key. */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** A prepared public key: parse once, verify many. */
export interface Ed25519PublicKey {
  verify(message: Uint8Array, signature: Uint8Array): boolean;
  /**
   * The same check off the main thread where the engine can (node:crypto's runs on a pool of
   * worker threads, in batches, with libsodium), so a subscriber verifies on every core while it
   * keeps receiving.
   */
  verifyAsync(message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

// DER headers of an Ed25519 PKCS#8 private key and SPKI public key (RFC 8410): the key bytes follow.
const pkcs8Header = Buffer.from("302e020100300506032b657004220420", "hex");
const spkiHeader = Buffer.from("302a300506032b6570032100", "hex");

/** Wraps a 32-byte seed as PKCS#8 DER. */
export function seedToPkcs8Der(seed: Uint8Array): Buffer {
  return Buffer.concat([pkcs8Header, seed]);
}

/** Extracts the 32-byte seed of an Ed25519 PKCS#8 DER key, or undefined when it is not one. */
export function pkcs8DerToSeed(der: Uint8Array): Uint8Array | undefined {
  if (der.length !== pkcs8Header.length + 32) return undefined;
  if (!Buffer.from(der.subarray(0, pkcs8Header.length)).equals(pkcs8Header)) return undefined;
  return der.slice(pkcs8Header.length);
}

type SeededSigner = (seed: Uint8Array) => (message: Uint8Array) => Uint8Array;

/**
 * libsodium's signing, when the optional `sodium-native` is installed: Ed25519 is deterministic, so
 * the signatures are the same bytes as OpenSSL's, in about 18 µs instead of 29 on this machine.
 * Loaded on the first key prepared, never when the SDK is imported, so a process that only
 * verifies or only routes loads no native addon.
 */
let sodiumSign: SeededSigner | undefined | null = null;

function sodiumSigner(): SeededSigner | undefined {
  if (sodiumSign === null) sodiumSign = loadSodiumSign();
  return sodiumSign;
}

function loadSodiumSign(): SeededSigner | undefined {
  let sodium: SodiumSigning;
  try {
    sodium = createRequire(import.meta.url)("sodium-native") as SodiumSigning;
  } catch {
    return undefined;
  }
  return (seed) => {
    const publicKey = Buffer.alloc(32);
    const secretKey = Buffer.alloc(64);
    sodium.crypto_sign_seed_keypair(publicKey, secretKey, Buffer.from(seed));
    return (message) => {
      const signature = Buffer.alloc(64);
      sodium.crypto_sign_detached(signature, message, secretKey);
      return signature;
    };
  };
}

interface SodiumSigning {
  crypto_sign_seed_keypair(publicKey: Buffer, secretKey: Buffer, seed: Buffer): void;
  crypto_sign_detached(signature: Buffer, message: Uint8Array, secretKey: Buffer): void;
}

/** The `node:crypto` engine (signing through libsodium where it is installed). */
export const nodeCryptoEngine: Ed25519Engine = {
  name: "node:crypto",
  privateKey(seed) {
    const key = createPrivateKey({ key: seedToPkcs8Der(seed), format: "der", type: "pkcs8" });
    const spki = createPublicKey(key).export({ format: "der", type: "spki" });
    return {
      publicKey: new Uint8Array(spki.subarray(spkiHeader.length)),
      sign: sodiumSigner()?.(seed) ?? ((message) => sign(null, message, key)),
    };
  },
  publicKey(raw) {
    const key: KeyObject = createPublicKey({ key: Buffer.concat([spkiHeader, raw]), format: "der", type: "spki" });
    const verifyNow = (message: Uint8Array, signature: Uint8Array) => verify(null, message, key, signature);
    const rawKey = new Uint8Array(raw);
    return {
      verify: verifyNow,
      verifyAsync: (message, signature) => verifyOnWorkers(rawKey, message, signature),
    };
  },
};

/** Keys the pool's calling-thread checks have prepared, by their raw bytes. */
const preparedKeys = new Map<string, KeyObject>();

/** The process's one verification pool, started on first use; small or early batches run here. */
const verifyOnWorkers = createVerifyPool(undefined, ([raw, message, signature]) => {
  const name = Buffer.from(raw).toString("latin1");
  let key = preparedKeys.get(name);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([spkiHeader, raw]), format: "der", type: "spki" });
    if (preparedKeys.size > 10_000) preparedKeys.clear();
    preparedKeys.set(name, key);
  }
  return verify(null, message, key, signature);
});

/** The pure-JavaScript `tweetnacl` engine: the fallback. */
export const tweetnaclEngine: Ed25519Engine = {
  name: "tweetnacl",
  privateKey(seed) {
    const pair = nacl.sign.keyPair.fromSeed(seed);
    return { publicKey: pair.publicKey, sign: (message) => nacl.sign.detached(message, pair.secretKey) };
  },
  publicKey(raw) {
    const key = new Uint8Array(raw);
    const verifyNow = (message: Uint8Array, signature: Uint8Array) =>
      nacl.sign.detached.verify(message, signature, key);
    return { verify: verifyNow, verifyAsync: async (message, signature) => verifyNow(message, signature) };
  },
};

function nodeCryptoHasEd25519(): boolean {
  try {
    const key = nodeCryptoEngine.privateKey(new Uint8Array(32));
    return key.sign(new Uint8Array(1)).length === 64;
  } catch {
    return false;
  }
}

let chosen: Ed25519Engine | undefined;

/** The engine in use: `node:crypto` where it has Ed25519, else `tweetnacl`. Probed once. */
export function defaultEd25519Engine(): Ed25519Engine {
  chosen ??= nodeCryptoHasEd25519() ? nodeCryptoEngine : tweetnaclEngine;
  return chosen;
}
