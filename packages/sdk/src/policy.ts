import { compileTopicPatterns } from "./topic-pattern.js";
import type { VerifyOutcome } from "./verify.js";

/** What a subscriber or relay accepts beyond `valid` messages. */
export interface PolicyOptions {
  /**
   * Topic patterns on which `unsigned` messages are accepted. Empty by default: deny unless listed.
   * Signed messages must always verify as `valid`, whatever this says.
   */
  allowUnsigned?: readonly string[];
}

/** A compiled acceptance policy: build once, ask per message. */
export interface Policy {
  /** True when a message on `topic` with this outcome is to be accepted. */
  accepts(outcome: VerifyOutcome, topic: string): boolean;
}

/**
 * Builds the acceptance policy of PROTOCOL.md §4: `valid` is accepted, `unsigned` only on the
 * listed patterns, everything else refused.
 * @throws HeraldError `E_TOPIC` for an invalid pattern.
 */
export function createPolicy(options: PolicyOptions = {}): Policy {
  const unsignedAllowed = compileTopicPatterns(options.allowUnsigned ?? []);
  return {
    accepts: (outcome, topic) => outcome === "valid" || (outcome === "unsigned" && unsignedAllowed(topic)),
  };
}
