import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { generateSigningKey, isValidKeyId, isValidTopicPattern, parseTrustFile, type TrustFileJson } from "@herald/sdk";
import { makeDirectory } from "@herald/sdk/internal";
import { CliError } from "../cli-error.js";
import { collect, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";

/** Flags of `herald keygen`. */
export interface KeygenOptions {
  dir: string;
  topics?: string[];
  trust?: string;
  force?: boolean;
  json?: boolean;
  config?: string;
}

/** `herald keygen <keyid>`: writes `<dir>/<keyid>.pem` (mode 0600) and prints the trust entry. */
export async function runKeygen(keyid: string, options: KeygenOptions, io: CommandIo): Promise<void> {
  if (!isValidKeyId(keyid))
    throw new CliError("E_USAGE", `key id ${JSON.stringify(keyid)} is not of the form [a-z0-9][a-z0-9._-]{0,63}`);
  const config = configFor(options, io);
  const topics = options.topics ?? [`${config.prefix}.*.${keyid.split(".")[0]}.#`];
  for (const pattern of topics) {
    if (!isValidTopicPattern(pattern))
      throw new CliError("E_USAGE", `--topics: ${JSON.stringify(pattern)} is not a topic pattern`);
  }
  const dir = resolve(io.cwd, options.dir);
  const file = join(dir, `${keyid}.pem`);
  if (existsSync(file) && !options.force) throw new CliError("E_USAGE", `${file} exists; pass --force to overwrite it`);
  const { signingKey, pkcs8Pem } = generateSigningKey(keyid);
  makeDirectory(dir);
  writePrivateFile(file, pkcs8Pem);
  const entry = { publicKey: signingKey.publicKeyBase64, topics };
  if (options.trust !== undefined) addToTrustFile(resolve(io.cwd, options.trust), keyid, entry);

  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ keyid, keyFile: file, publicKey: entry.publicKey, trustEntry: { [keyid]: entry } })}\n`,
    );
    return;
  }
  io.stdout.write(
    [
      `wrote ${file}`,
      `public key: ${entry.publicKey}`,
      'trust-file entry (under "keys"):',
      `  ${JSON.stringify(keyid)}: ${JSON.stringify(entry)}`,
      ...(options.trust === undefined ? [] : [`added to ${options.trust}`]),
      "",
    ].join("\n"),
  );
}

function addToTrustFile(file: string, keyid: string, entry: { publicKey: string; topics: string[] }): void {
  let trust: TrustFileJson = { version: 1, keys: {} };
  if (existsSync(file)) {
    try {
      trust = JSON.parse(readFileSync(file, "utf8")) as TrustFileJson;
    } catch (cause) {
      throw new CliError("E_INPUT", `${file}: not valid JSON: ${(cause as Error).message}`);
    }
  }
  trust.keys = { ...trust.keys, [keyid]: entry };
  parseTrustFile(trust, file);
  writeFileSync(file, `${JSON.stringify(trust, null, 2)}\n`);
}

/** `herald keygen`: its arguments and flags, beside the function that runs it. */
export const keygenCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .argument("<keyid>", "the key's id, e.g. git.pkgs01")
        .option("--dir <dir>", "folder for the private key", ".")
        .option(
          "--topics <pattern>",
          "a topic pattern the key may sign (repeatable; default <prefix>.*.<first token of keyid>.#)",
          collect,
        )
        .option("--trust <file>", "also add the entry to this trust file (created if missing)")
        .option("--force", "overwrite an existing key file")
        .option("--json", "print the public key and entry as JSON"),
    ),
  action: (io) => (keyid, options) => runKeygen(keyid, options, io),
});

/**
 * Writes a private key as a new file of mode 0600: written beside the target and renamed over
 * it, so an old file's wider mode is not kept and a symbolic link at the path is replaced, never
 * followed (it could point anywhere the user can write).
 */
function writePrivateFile(file: string, text: string): void {
  const temporary = join(dirname(file), `.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: "wx" });
    renameSync(temporary, file);
  } catch (cause) {
    rmSync(temporary, { force: true });
    throw new CliError("E_USAGE", `cannot write ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
}
