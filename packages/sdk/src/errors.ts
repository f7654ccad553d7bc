const marker = Symbol.for("herald.error");

/**
 * Every way the SDK can fail, as a closed union so callers can branch on `code`.
 * - `E_CONFIG`: a configuration file or value is wrong (the message names the key and the file).
 * - `E_KEY`: a key file or public key cannot be read or is not Ed25519.
 * - `E_TRUST`: a trust file is not of the form of PROTOCOL.md §4.
 * - `E_TOPIC`: a topic or topic pattern breaks PROTOCOL.md §1.
 * - `E_ENVELOPE`: an envelope cannot be built or is not of the form of PROTOCOL.md §2.
 * - `E_SCHEMA`: data does not match its topic's schema, or the topic has no schema.
 * - `E_TRANSPORT`: a socket could not be bound, connected or written.
 * - `E_RELAY_REFUSED`: a relay answered and refused the message (the reason says why).
 * - `E_RELAY_UNREACHABLE`: no configured relay acknowledged the message in time.
 * - `E_CLOSED`: the bus or subscription was already closed.
 * - `E_QUERY`: a search of the message store has a wrong parameter (the message names it).
 * - `E_STORE`: the message store's database failed (cannot open, disk full, ...).
 */
export type HeraldErrorCode =
  | "E_CONFIG"
  | "E_KEY"
  | "E_TRUST"
  | "E_TOPIC"
  | "E_ENVELOPE"
  | "E_SCHEMA"
  | "E_TRANSPORT"
  | "E_RELAY_REFUSED"
  | "E_RELAY_UNREACHABLE"
  | "E_CLOSED"
  | "E_QUERY"
  | "E_STORE";

/**
 * The one error class of the SDK. Recognise it across duplicate installs with
 * {@link HeraldError.isInstance} rather than `instanceof`.
 */
export class HeraldError extends Error {
  readonly code: HeraldErrorCode;
  readonly [marker] = true;

  constructor(code: HeraldErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HeraldError";
    this.code = code;
  }

  /** True for any HeraldError, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is HeraldError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
