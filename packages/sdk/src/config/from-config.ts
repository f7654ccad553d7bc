import { loadSigningKey, type SigningKey } from "../keys.js";
import { createPolicy, type Policy } from "../policy.js";
import { loadTrustFile, type TrustStore } from "../trust.js";
import type { HeraldConfig } from "./load-config.js";

/**
 * The signing key the configuration names, parsed once; undefined when it names none.
 * @throws HeraldError `E_KEY` when the key file cannot be read.
 */
export function signingKeyFromConfig(config: Pick<HeraldConfig, "keyFile" | "keyId">): SigningKey | undefined {
  if (config.keyFile === undefined || config.keyId === undefined) return undefined;
  return loadSigningKey(config.keyFile, config.keyId);
}

/**
 * The trust store the configuration names; undefined when it names none.
 * @throws HeraldError `E_TRUST` when the trust file cannot be read or is wrong.
 */
export function trustFromConfig(config: Pick<HeraldConfig, "trustFile">): TrustStore | undefined {
  return config.trustFile === undefined ? undefined : loadTrustFile(config.trustFile);
}

/** The acceptance policy of the configuration. */
export function policyFromConfig(config: Pick<HeraldConfig, "policy">): Policy {
  return createPolicy({ allowUnsigned: config.policy.allowUnsigned, canonicalOnly: config.policy.canonicalOnly });
}
