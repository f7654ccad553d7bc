import { HeraldError } from "@herald/sdk";

/**
 * The one place where errors of the `zeromq` package become Herald errors: a socket's failure to
 * bind, connect or send becomes `E_TRANSPORT` with the address and ZeroMQ's own words.
 */
export function translateZeroMqError(cause: unknown, action: string): HeraldError {
  if (HeraldError.isInstance(cause)) return cause as HeraldError;
  const error = cause as { code?: string; message?: string };
  if (error?.code === "EBUSY" || error?.code === "ETERM" || error?.message === "Socket is closed") {
    return new HeraldError("E_CLOSED", `${action}: the socket is closed`, { cause });
  }
  const words = error?.message ?? String(cause);
  const hint = error?.code === "EADDRINUSE" ? " (another process is using this address)" : "";
  return new HeraldError("E_TRANSPORT", `${action}: ${words}${hint}`, { cause });
}
