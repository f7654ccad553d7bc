import { readFileSync } from "node:fs";
import { HeraldError, type HeraldErrorCode } from "./errors.js";

/**
 * Reads a UTF-8 file the SDK was told to read (a key, a trust file, herald.toml); a failure
 * becomes one HeraldError naming what the file is and why: `cannot read trust file x: ENOENT`.
 * @throws HeraldError with the given code.
 */
export function readTextFile(file: string, code: HeraldErrorCode, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new HeraldError(code, `cannot read ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      cause,
    });
  }
}
