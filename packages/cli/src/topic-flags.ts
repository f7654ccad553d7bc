import { compileTopicPattern, HeraldError, type Logger } from "@herald/sdk";
import { CliError } from "./cli-error.js";

/**
 * Checks `--topic` patterns before anything starts: one that is not a pattern is a usage mistake
 * (one line, exit 2), and one that can match nothing under the configured prefix — `git.#` where
 * `org.example.*.git.#` was meant — is warned about, so a command never waits silently for
 * messages that cannot come. Patterns starting with a wildcard, or outside the prefix on purpose, pass.
 * @throws CliError `E_USAGE` naming the first pattern that is not valid.
 */
export function checkTopicPatterns(patterns: readonly string[], prefix: string, logger: Logger): void {
  for (const pattern of patterns) {
    try {
      compileTopicPattern(pattern);
    } catch (error) {
      if (!HeraldError.isInstance(error)) throw error;
      throw new CliError("E_USAGE", `--topic: ${error.message}`);
    }
  }
  const first = prefix.split(".")[0] as string;
  for (const pattern of patterns) {
    const head = pattern.split(".")[0];
    if (head === "*" || head === "#" || head === first) continue;
    logger.warn(
      `--topic ${pattern} matches full topics, none of which starts with ${head}: did you mean ${prefix}.*.${pattern}?`,
    );
  }
}
