const marker = Symbol.for("herald.cli-error");

/**
 * Codes of user mistakes and expected failures, each with its exit code:
 * `E_USAGE` (2) a flag or argument is wrong; `E_IO` (2) a file could not be read or written, so
 * the command could not run; `E_INPUT` (1) the input was read and could not be used;
 * `E_FAILED` (1) the command did its work and the result is a failure (a message not valid, no
 * relay answered); `E_QUEUED` (75, EX_TEMPFAIL) the message was not delivered but queued in the
 * spool, to be delivered later; `E_EXIT` a wrapped command failed: its own exit code is passed on.
 */
export type CliErrorCode = "E_USAGE" | "E_IO" | "E_INPUT" | "E_FAILED" | "E_QUEUED" | "E_EXIT";

/** An error the top-level catch prints as one line and turns into an exit code. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly [marker] = true;

  private readonly passedOnExitCode: number | undefined;

  constructor(code: CliErrorCode, message: string, exitCode?: number) {
    super(message);
    this.name = "CliError";
    this.code = code;
    this.passedOnExitCode = exitCode;
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    if (this.passedOnExitCode !== undefined) return this.passedOnExitCode;
    return this.code === "E_USAGE" || this.code === "E_IO" ? 2 : this.code === "E_QUEUED" ? 75 : 1;
  }

  static isInstance(value: unknown): value is CliError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
