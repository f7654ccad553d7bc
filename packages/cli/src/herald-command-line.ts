import { fileURLToPath } from "node:url";

/**
 * The command line that runs this very `herald`, with absolute paths, for hooks that run later in
 * another environment (a git server's hook has neither this PATH nor this working directory).
 */
export function heraldCommandLine(): string[] {
  return [process.execPath, fileURLToPath(new URL("../bin/herald.js", import.meta.url))];
}
