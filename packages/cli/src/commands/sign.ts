import { type Envelope, loadSigningKey, type SigningKey, signEnvelope } from "@herald/sdk";
import { findMalformation } from "@herald/sdk/internal";
import { CliError } from "../cli-error.js";
import { withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, createBatchedWriter, readLines } from "../io.js";
import { readJsonText } from "../read-json-file.js";

/** Flags of `herald sign`. */
export interface SignOptions {
  key?: string;
  keyid?: string;
  config?: string;
}

/** Resolves the signing key from flags, else from the configuration; undefined when neither names one. */
export function signingKeyFrom(options: SignOptions, io: CommandIo): SigningKey | undefined {
  if ((options.key === undefined) !== (options.keyid === undefined)) {
    throw new CliError("E_USAGE", "--key and --keyid go together");
  }
  if (options.key !== undefined && options.keyid !== undefined) return loadSigningKey(options.key, options.keyid);
  const config = configFor(options, io);
  return config.keyFile === undefined || config.keyId === undefined
    ? undefined
    : loadSigningKey(config.keyFile, config.keyId);
}

/**
 * `herald sign`: one signed envelope per input line. A line that is not an envelope is reported on
 * stderr with its number and skipped; the exit code is then 1.
 */
export async function runSign(options: SignOptions, io: CommandIo): Promise<void> {
  const key = signingKeyFrom(options, io);
  if (key === undefined) throw new CliError("E_USAGE", "no key: pass --key FILE --keyid ID or set key_file and key_id");
  const out = createBatchedWriter(io.stdout);
  let bad = 0;
  for await (const { line, number } of readLines(io.stdin)) {
    const reading = readJsonText(line);
    if (!reading.ok) {
      bad++;
      io.stderr.write(`herald sign: line ${number}: ${reading.problem}\n`);
      continue;
    }
    const { value } = reading;
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    const { sig: _sig, keyid: _keyid, ...unsigned } = isObject ? (value as Record<string, unknown>) : {};
    const problem = isObject ? findMalformation(unsigned) : "not a JSON object";
    if (problem !== undefined) {
      bad++;
      io.stderr.write(`herald sign: line ${number}: not an envelope: ${problem}\n`);
      continue;
    }
    out.write(`${JSON.stringify(signEnvelope(unsigned as Envelope, key))}\n`);
  }
  await out.flush();
  if (bad > 0) throw new CliError("E_INPUT", `${bad} line(s) could not be signed`);
}

/** `herald sign`: its arguments and flags, beside the function that runs it. */
export const signCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--key <file>", "PKCS#8 PEM private key (default: key_file of the configuration)")
        .option("--keyid <id>", "the key's id (default: key_id of the configuration)"),
    ),
  action: (io) => (options) => runSign(options, io),
});
