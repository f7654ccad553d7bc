import { createHash } from "node:crypto";
import type { SigningKey, TrustStore } from "@herald/sdk";
import { compilePresentation } from "../presentation/present-data.js";
import type { PresentationDocument } from "../presentation/presentation-document.js";
import type { SchemaEntry } from "../schema-registry.js";
import { admitSchemaDocument } from "./admit-schema-document.js";

/**
 * One schema version as a registry service holds and serves it: the exact text of the JSON Schema
 * file and of its major's presentation document, signed by the key that registered it
 * (docs/schema-registry.md). Texts travel as strings so released files stay byte for byte.
 */
export interface SchemaRegistration {
  name: string;
  /** `<major>.<minor>` */
  version: string;
  /** The JSON Schema file, as its author wrote it. */
  schema: string;
  /** The presentation document of the version's major, when there is one. */
  presentation?: string;
  keyid: string;
  /** Base64 Ed25519 signature of {@link registrationSigningText}. */
  sig: string;
}

const schemaName = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/;
const versionForm = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;
const keyidForm = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const signatureForm = /^[A-Za-z0-9+/]{86}==$/;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The bytes a registration's signature covers: the name, the version and the SHA-256 of both
 * texts, so neither a schema nor its presentation can be swapped under a signature.
 */
export function registrationSigningText(registration: Omit<SchemaRegistration, "sig">): string {
  return [
    "herald-schema-registration/1",
    registration.name,
    registration.version,
    registration.keyid,
    sha256(registration.schema),
    registration.presentation === undefined ? "-" : sha256(registration.presentation),
  ].join("\n");
}

/** Signs one version's texts with the registering key. */
export function signRegistration(
  fields: { name: string; version: string; schema: string; presentation?: string },
  key: SigningKey,
): SchemaRegistration {
  const unsigned = { ...fields, keyid: key.keyid };
  const sig = Buffer.from(key.sign(Buffer.from(registrationSigningText(unsigned), "utf8"))).toString("base64");
  return { ...unsigned, sig };
}

/** What reading a registration found: the entry it defines, or one reason it is refused. */
export type RegistrationReading = { ok: true; entry: SchemaEntry } | { ok: false; reason: string };

/**
 * Checks a registration's shape and texts (a bounded JSON Schema that compiles, see
 * {@link admitSchemaDocument}; a presentation document that compiles) and turns it into a
 * catalogue entry, marked untrusted. Never throws: hostile input gets a reason.
 */
export function readRegistration(value: unknown): RegistrationReading {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, reason: "a registration is a JSON object" };
  const record = value as Record<string, unknown>;
  for (const field of ["name", "version", "schema", "keyid", "sig"])
    if (typeof record[field] !== "string") return { ok: false, reason: `${field} must be a string` };
  if (record.presentation !== undefined && typeof record.presentation !== "string")
    return { ok: false, reason: "presentation must be a string" };
  const registration = record as unknown as SchemaRegistration;
  if (!schemaName.test(registration.name) || registration.name.length > 128)
    return { ok: false, reason: `name ${JSON.stringify(registration.name).slice(0, 80)} is not a schema name` };
  if (!versionForm.test(registration.version))
    return { ok: false, reason: `version ${JSON.stringify(registration.version).slice(0, 40)} is not <major>.<minor>` };
  if (!keyidForm.test(registration.keyid)) return { ok: false, reason: "keyid is not a key id" };
  if (!signatureForm.test(registration.sig)) return { ok: false, reason: "sig is not the base64 of 64 bytes" };
  // Bounded, local references only, and compiled as every consumer will: or refused here.
  const admitted = admitSchemaDocument(registration.schema);
  if (!admitted.ok) return admitted;
  const { document } = admitted;
  let presentation: PresentationDocument | undefined;
  if (registration.presentation !== undefined)
    try {
      presentation = JSON.parse(registration.presentation) as PresentationDocument;
      compilePresentation(presentation);
    } catch (cause) {
      return { ok: false, reason: `presentation: ${(cause as Error).message}` };
    }
  return {
    ok: true,
    entry: {
      name: registration.name,
      version: registration.version,
      document,
      ...(presentation === undefined ? {} : { presentation }),
      untrusted: true,
    },
  };
}

/** Whether `publicKey` (a prepared Ed25519 key) signed this registration. */
export function registrationSignedBy(
  registration: SchemaRegistration,
  publicKey: { verify(message: Uint8Array, signature: Uint8Array): boolean },
): boolean {
  return publicKey.verify(
    Buffer.from(registrationSigningText(registration), "utf8"),
    Buffer.from(registration.sig, "base64"),
  );
}

/**
 * A subscriber's check of a served registration: signed by a key its trust file holds and has not
 * revoked. The registry's access list decided which key may register which names; the subscriber
 * checks the signature, so a registry (or a cache on disk) cannot hand it a schema nobody trusted signed.
 */
export function verifyRegistration(value: unknown, trust: TrustStore): RegistrationReading {
  const reading = readRegistration(value);
  if (!reading.ok) return reading;
  const registration = value as SchemaRegistration;
  const key = trust.get(registration.keyid);
  if (key === undefined) return { ok: false, reason: `signed by ${registration.keyid}, a key not in ${trust.origin}` };
  if (key.revoked) return { ok: false, reason: `signed by ${registration.keyid}, a revoked key` };
  if (!registrationSignedBy(registration, key.publicKey))
    return { ok: false, reason: `the signature of ${registration.keyid} does not verify` };
  return reading;
}
