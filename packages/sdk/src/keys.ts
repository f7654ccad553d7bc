import { randomBytes } from "node:crypto";
import {
  defaultEd25519Engine,
  type Ed25519Engine,
  type Ed25519PrivateKey,
  pkcs8DerToSeed,
  seedToPkcs8Der,
} from "./ed25519.js";
import { isValidKeyId } from "./envelope.js";
import { HeraldError } from "./errors.js";
import { readTextFile } from "./read-text-file.js";

/** A private key ready to sign, with the key id that goes into `keyid`. Parsed once, used per message. */
export interface SigningKey {
  readonly keyid: string;
  /** The public key as PROTOCOL.md §3 has it travel: base64 of the 32 raw bytes. */
  readonly publicKeyBase64: string;
  readonly engine: Ed25519Engine["name"];
  sign(message: Uint8Array): Uint8Array;
}

function fromPrepared(keyid: string, prepared: Ed25519PrivateKey, engine: Ed25519Engine): SigningKey {
  if (!isValidKeyId(keyid)) {
    throw new HeraldError("E_KEY", `key id ${JSON.stringify(keyid)} is not of the form [a-z0-9][a-z0-9._-]{0,63}`);
  }
  return {
    keyid,
    publicKeyBase64: Buffer.from(prepared.publicKey).toString("base64"),
    engine: engine.name,
    sign: (message) => prepared.sign(message),
  };
}

/**
 * Reads an Ed25519 private key from PKCS#8 PEM text (what `openssl genpkey -algorithm ed25519` and
 * `herald keygen` write).
 * @throws HeraldError `E_KEY` when the text is not such a key or the key id is not valid.
 */
export function parseSigningKey(pem: string, keyid: string, engine = defaultEd25519Engine()): SigningKey {
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem);
  const seed =
    match?.[1] === undefined ? undefined : pkcs8DerToSeed(Buffer.from(match[1].replace(/\s+/g, ""), "base64"));
  if (seed === undefined) throw new HeraldError("E_KEY", "not an Ed25519 private key in PKCS#8 PEM form");
  return fromPrepared(keyid, engine.privateKey(seed), engine);
}

/**
 * Reads a signing key from a PEM file.
 * @throws HeraldError `E_KEY` naming the file when it cannot be read or is not an Ed25519 key.
 */
export function loadSigningKey(file: string, keyid: string, engine = defaultEd25519Engine()): SigningKey {
  const pem = readTextFile(file, "E_KEY", "key file");
  try {
    return parseSigningKey(pem, keyid, engine);
  } catch (error) {
    if (HeraldError.isInstance(error)) throw new HeraldError("E_KEY", `${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** A signing key from a raw 32-byte seed (test vectors carry seeds). */
export function signingKeyFromSeed(seed: Uint8Array, keyid: string, engine = defaultEd25519Engine()): SigningKey {
  if (seed.length !== 32) throw new HeraldError("E_KEY", "an Ed25519 seed is 32 bytes");
  return fromPrepared(keyid, engine.privateKey(seed), engine);
}

/** A freshly generated key pair, with its PKCS#8 PEM text ready to be written to a file. */
export interface GeneratedKey {
  readonly signingKey: SigningKey;
  readonly pkcs8Pem: string;
}

/** Generates a new Ed25519 key pair from the system's secure random source. */
export function generateSigningKey(keyid: string, engine = defaultEd25519Engine()): GeneratedKey {
  const seed = randomBytes(32);
  const body = seedToPkcs8Der(seed).toString("base64");
  return {
    signingKey: signingKeyFromSeed(seed, keyid, engine),
    pkcs8Pem: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`,
  };
}
