const marker = Symbol.for("herald.error");

/**
 * Every way the SDK core can fail, as a closed union so callers can branch on `code`. Packages
 * above it have their own unions (`StoreErrorCode`, `RelayErrorCode`) on the same class.
 * - `E_CONFIG`: a configuration file or value is wrong (the message names the key and the file).
 * - `E_KEY`: a key file or public key cannot be read or is not Ed25519.
 * - `E_TRUST`: a trust file is not of the form of PROTOCOL.md §4.
 * - `E_TOPIC`: a topic or topic pattern breaks PROTOCOL.md §1.
 * - `E_ENVELOPE`: an envelope cannot be built or is not of the form of PROTOCOL.md §2.
 * - `E_SCHEMA`: data does not match its topic's schema, or the topic has no schema.
 * - `E_TRANSPORT`: a socket could not be bound, connected or written.
 * - `E_CLOSED`: the bus or subscription was already closed.
 * - `E_RECOVERY`: a store to recover missed messages from could not be reached or answered wrong.
 */
export type HeraldErrorCode =
  | "E_CONFIG"
  | "E_KEY"
  | "E_TRUST"
  | "E_TOPIC"
  | "E_ENVELOPE"
  | "E_SCHEMA"
  | "E_TRANSPORT"
  | "E_CLOSED"
  | "E_RECOVERY";

/**
 * The one error class of Herald, with a closed `code` union per package: the SDK's own by default,
 * a package's by its type argument (`new HeraldError<StoreErrorCode>("E_STORE", …)`), so a code
 * can only be one its package declares. Recognise it across duplicate installs with
 * {@link HeraldError.isInstance} rather than `instanceof`; foreign errors it wraps are its `cause`.
 */
export class HeraldError<Code extends string = HeraldErrorCode> extends Error {
  readonly code: Code;
  readonly [marker] = true;

  constructor(code: NoInfer<Code>, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HeraldError";
    this.code = code;
  }

  /** True for any HeraldError, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is HeraldError<string> {
    return typeof value === "object" && value !== null && marker in value;
  }
}
