import { type HeraldConfig, type Policy, policyFromConfig, type TrustStore, watchTrustFile } from "@herald/sdk";
import { CliError } from "./cli-error.js";
import { trustFrom } from "./commands/verify.js";
import { configFor } from "./config-flag.js";
import type { CommandIo } from "./io.js";
import { stderrLogger } from "./stderr-logger.js";

/**
 * What `--insecure` means for the commands that receive: every well-formed message passes,
 * verified or not. Meant for local experiments; the outcome still travels with each message.
 */
export const insecurePolicy: Policy = { accepts: (outcome) => outcome !== "malformed" };

/**
 * The trust and policy of a receiving command: the trust file (flag or configuration) and the
 * configured policy, or none and {@link insecurePolicy} with `--insecure`.
 * A long-running `command` (named) follows its trust file: it reads it again on `SIGHUP` and when
 * it changes on disk, logging the keys added, removed and changed.
 * @throws CliError `E_USAGE` when there is no trust file and no `--insecure`; `unverified` says
 *   what `--insecure` would do, for the message.
 */
export function receivingTrust(
  options: { trust?: string; insecure?: boolean; config?: string },
  config: HeraldConfig,
  io: CommandIo,
  unverified: string,
  command?: string,
): { trust?: TrustStore; policy: Policy } {
  if (options.insecure) return { policy: insecurePolicy };
  const file = options.trust ?? configFor(options, io).trustFile;
  const trust =
    command === undefined || file === undefined ? trustFrom(options, io) : followedTrustFile(file, command, io);
  if (trust === undefined)
    throw new CliError(
      "E_USAGE",
      `no trust file: pass --trust FILE or set trust_file (or --insecure to ${unverified})`,
    );
  return { trust, policy: policyFromConfig(config) };
}

/** The trust file, read again on SIGHUP and when it changes, for as long as the process runs. */
function followedTrustFile(file: string, command: string, io: CommandIo): TrustStore {
  const trust = watchTrustFile(file, { logger: stderrLogger(command, io) });
  process.on("SIGHUP", trust.reload);
  return trust;
}
