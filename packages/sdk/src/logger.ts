/**
 * Where libraries report what happens: they never print. The CLI passes one that writes to
 * stderr; a service passes its own (pino, winston, console all fit).
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything: the default of every library function. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
