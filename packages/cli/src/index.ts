/** @herald/cli: the `herald` command, runnable in-process through `main`. */
export { createProgram, main } from "./cli.js";
export { CliError, type CliErrorCode } from "./cli-error.js";
export type { CommandIo } from "./io.js";
