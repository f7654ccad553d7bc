import {
  type Envelope,
  loadTrustFile,
  nonCanonicalAttributes,
  readBoundedJson,
  type TrustStore,
  verifyEnvelope,
} from "@herald/sdk";
import { CliError } from "../cli-error.js";
import { withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, createBatchedWriter, readLines } from "../io.js";

/** Flags of `herald verify`. */
export interface VerifyOptions {
  trust?: string;
  config?: string;
  /** Count an envelope that is not in the canonical form (PROTOCOL.md §2) as not valid. */
  canonical?: boolean;
}

/** Loads the trust file from `--trust`, else the configuration; undefined when neither names one. */
export function trustFrom(options: { trust?: string; config?: string }, io: CommandIo): TrustStore | undefined {
  if (options.trust !== undefined) return loadTrustFile(options.trust);
  const config = configFor(options, io);
  return config.trustFile === undefined ? undefined : loadTrustFile(config.trustFile);
}

/**
 * `herald verify`: one outcome word of PROTOCOL.md §4 per input line; exit 0 only if all are
 * valid. An envelope not in the canonical form of §2 (which a CloudEvents SDK would rewrite,
 * breaking its signature) gets a warning on stderr naming its line, id and attributes; with
 * `--canonical` it is `not-canonical` and counts as not valid.
 */
export async function runVerify(options: VerifyOptions, io: CommandIo): Promise<void> {
  const trust = trustFrom(options, io);
  if (trust === undefined) throw new CliError("E_USAGE", "no trust file: pass --trust FILE or set trust_file");
  const out = createBatchedWriter(io.stdout);
  let notValid = 0;
  let total = 0;
  for await (const { line, number } of readLines(io.stdin)) {
    // Read as every listener reads: a key twice (two parsers could see different values under
    // one signature), nesting past 64 or an integer JSON.parse would round make it malformed.
    const reading = readBoundedJson(line);
    let { outcome }: { outcome: string } = verifyEnvelope(reading.ok ? reading.value : undefined, trust);
    if (outcome !== "malformed" && reading.ok) {
      const envelope = reading.value as Envelope;
      const problems = nonCanonicalAttributes(envelope);
      if (problems.length > 0) {
        io.stderr.write(
          `herald verify: warning: line ${number} (id ${String(envelope.id).slice(0, 100)}) is not canonical: ${problems.join("; ")}\n`,
        );
        if (options.canonical === true && outcome === "valid") outcome = "not-canonical";
      }
    }
    total++;
    if (outcome !== "valid") notValid++;
    out.write(`${outcome}\n`);
  }
  await out.flush();
  if (notValid > 0) throw new CliError("E_FAILED", `${notValid} of ${total} messages are not valid`);
}

/** `herald verify`: its arguments and flags, beside the function that runs it. */
export const verifyCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option(
          "--canonical",
          "also require the canonical form of PROTOCOL.md §2 (what CloudEvents SDKs keep intact): not-canonical otherwise",
        ),
    ),
  action: (io) => (options) => runVerify(options, io),
});
