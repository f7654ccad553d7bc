import { compileTopicPatterns } from "./topic-pattern.js";
import type { VerifyOutcome } from "./verify.js";

/** What a subscriber or relay accepts beyond `valid` messages. */
export interface PolicyOptions {
  /**
   * Topic patterns on which `unsigned` messages are accepted. Empty by default: deny unless listed.
   * Signed messages must always verify as `valid`, whatever this says.
   */
  allowUnsigned?: readonly string[];
  /**
   * Topic patterns on which only envelopes in the canonical form of PROTOCOL.md §2 are accepted
   * (see `nonCanonicalAttributes`): where a deployment forwards to CloudEvents SDKs, which rewrite
   * other forms and so break their signatures. Empty by default: verification alone decides.
   */
  canonicalOnly?: readonly string[];
}

/** A compiled acceptance policy: build once, ask per message. */
export interface Policy {
  /** True when a message on `topic` with this outcome is to be accepted. */
  accepts(outcome: VerifyOutcome, topic: string): boolean;
  /** True when envelopes on `topic` must be in the canonical form to be accepted. */
  requiresCanonical?(topic: string): boolean;
}

/**
 * Builds the acceptance policy of PROTOCOL.md §4: `valid` is accepted, `unsigned` only on the
 * listed patterns, everything else refused; on the `canonicalOnly` patterns, a non-canonical
 * envelope is refused too.
 * @throws HeraldError `E_TOPIC` for an invalid pattern.
 */
export function createPolicy(options: PolicyOptions = {}): Policy {
  const unsignedAllowed = compileTopicPatterns(options.allowUnsigned ?? []);
  const canonicalOnly = compileTopicPatterns(options.canonicalOnly ?? []);
  return {
    accepts: (outcome, topic) => outcome === "valid" || (outcome === "unsigned" && unsignedAllowed(topic)),
    requiresCanonical: (options.canonicalOnly?.length ?? 0) > 0 ? canonicalOnly : () => false,
  };
}
