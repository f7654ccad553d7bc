import { createPrivateKey, type KeyObject, sign, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { type FedmsgMessage, HeraldError } from "@herald/sdk";

/** A fedmsg message signed as fedmsg's X.509 backend signs it. */
export type SignedFedmsgMessage = FedmsgMessage & { crypto: "x509"; signature: string; certificate: string };

/** Signs fedmsg messages with one key pair, read once. */
export interface FedmsgSigner {
  sign(message: FedmsgMessage): SignedFedmsgMessage;
}

/**
 * A signer for fedmsg's own validation (fedmsg 1.x `fedmsg.crypto.x509`, read from
 * `fedmsg/crypto/x509_ng.py`): `crypto = "x509"` is set, the message is serialized as
 * `fedmsg.encoding.dumps` does (sorted keys, no spaces, ASCII), signed RSA PKCS#1 v1.5 over SHA-1,
 * and `signature` and `certificate` (the base64 of the PEM certificate) are added, both cut into
 * 76-character lines as M2Crypto did. A fedmsg consumer with `validate_signatures = True` then
 * accepts the message when the certificate chains to its CA.
 * @throws HeraldError `E_CONFIG` naming the file when the key or certificate cannot be read, is
 * not RSA, or the two do not belong together.
 */
export function loadFedmsgSigner(keyFile: string, certFile: string): FedmsgSigner {
  let key: KeyObject;
  let certificate: X509Certificate;
  const keyText = readFile(keyFile, "fedmsg signing key");
  const certificateFile = readFile(certFile, "fedmsg certificate");
  try {
    key = createPrivateKey(keyText);
  } catch (error) {
    throw new HeraldError("E_CONFIG", `${keyFile}: not a PEM private key (${(error as Error).message})`);
  }
  try {
    certificate = new X509Certificate(certificateFile);
  } catch (error) {
    throw new HeraldError("E_CONFIG", `${certFile}: not a PEM certificate (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== "rsa") throw new HeraldError("E_CONFIG", `${keyFile}: fedmsg signs with RSA keys only`);
  if (!certificate.checkPrivateKey(key))
    throw new HeraldError("E_CONFIG", `${certFile}: this certificate is not the one of ${keyFile}`);
  const certificateText = lines(Buffer.from(certificate.toString()).toString("base64"));
  return {
    sign(message) {
      const unsigned = { ...message, crypto: "x509" as const };
      const signature = sign("sha1", Buffer.from(fedmsgEncoding(unsigned), "utf8"), key).toString("base64");
      return { ...unsigned, signature: lines(signature), certificate: certificateText };
    },
  };
}

function readFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new HeraldError(
      "E_CONFIG",
      `cannot read the ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
    );
  }
}

/** Base64 cut into 76-character lines, each ending in a newline (`_prep_crypto_msg`). */
const lines = (base64: string) => `${base64.match(/.{1,76}/g)?.join("\n") ?? ""}\n`;

/**
 * A value as `fedmsg.encoding.dumps` writes it: Python's `json.dumps` with `sort_keys=True`,
 * `separators=(",", ":")` and `ensure_ascii=True`. What fedmsg signs, and what a validating
 * consumer computes again from the message it parsed.
 */
export function fedmsgEncoding(value: unknown): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return asciiJson(value);
  if (Array.isArray(value)) return `[${value.map(fedmsgEncoding).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, child]) => child !== undefined);
    // Python sorts by code point; for keys in the Basic Multilingual Plane that is JavaScript's order.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${asciiJson(key)}:${fedmsgEncoding(child)}`).join(",")}}`;
  }
  throw new HeraldError("E_ENVELOPE", `cannot encode a ${typeof value} for fedmsg`);
}

/** JSON text of a string with every character past ASCII escaped, as `ensure_ascii` does. */
const asciiJson = (text: string) =>
  JSON.stringify(text).replace(
    /[\u0080-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/**
 * A number as Python writes the value it parses from JavaScript's text: an integer as digits, a
 * fraction in `repr` form (`1e-07`, not `1e-7`).
 */
function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new HeraldError("E_ENVELOPE", "fedmsg cannot carry a non-finite number");
  const text = String(value);
  const exponent = /^(-?[\d.]+)e([+-])(\d+)$/.exec(text);
  if (exponent === null) return text;
  return `${exponent[1]}e${exponent[2]}${exponent[3]!.padStart(2, "0")}`;
}
