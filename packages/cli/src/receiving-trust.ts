import { type HeraldConfig, type Policy, policyFromConfig, type TrustStore } from "@herald/sdk";
import { CliError } from "./cli-error.js";
import { trustFrom } from "./commands/verify.js";
import type { CommandIo } from "./io.js";

/**
 * What `--insecure` means for the commands that receive: every well-formed message passes,
 * verified or not. Meant for local experiments; the outcome still travels with each message.
 */
export const insecurePolicy: Policy = { accepts: (outcome) => outcome !== "malformed" };

/**
 * The trust and policy of a receiving command: the trust file (flag or configuration) and the
 * configured policy, or none and {@link insecurePolicy} with `--insecure`.
 * @throws CliError `E_USAGE` when there is no trust file and no `--insecure`; `unverified` says
 *   what `--insecure` would do, for the message.
 */
export function receivingTrust(
  options: { trust?: string; insecure?: boolean; config?: string },
  config: HeraldConfig,
  io: CommandIo,
  unverified: string,
): { trust?: TrustStore; policy: Policy } {
  if (options.insecure) return { policy: insecurePolicy };
  const trust = trustFrom(options, io);
  if (trust === undefined)
    throw new CliError(
      "E_USAGE",
      `no trust file: pass --trust FILE or set trust_file (or --insecure to ${unverified})`,
    );
  return { trust, policy: policyFromConfig(config) };
}
