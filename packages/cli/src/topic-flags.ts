import type { Logger } from "@herald/sdk";

/**
 * Warns about `--topic` patterns that can match nothing under the configured prefix — `git.#`
 * where `org.example.*.git.#` was meant — so a command never waits silently for messages that
 * cannot come. Patterns starting with a wildcard, or outside the prefix on purpose, pass.
 */
export function warnAboutUnprefixedPatterns(patterns: readonly string[], prefix: string, logger: Logger): void {
  const first = prefix.split(".")[0] as string;
  for (const pattern of patterns) {
    const head = pattern.split(".")[0];
    if (head === "*" || head === "#" || head === first) continue;
    logger.warn(
      `--topic ${pattern} matches full topics, none of which starts with ${head}: did you mean ${prefix}.*.${pattern}?`,
    );
  }
}
