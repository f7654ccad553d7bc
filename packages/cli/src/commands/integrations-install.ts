import { accessSync, appendFileSync, constants, cpSync, existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join, resolve } from "node:path";
import { installPostReceiveHook } from "@herald/integration-git";
import { loadSigningKey } from "@herald/sdk";
import { CliError } from "../cli-error.js";
import { withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";

/** Flags of `herald integrations install`. */
export interface IntegrationsInstallOptions {
  config?: string;
  /** The `herald` the hook runs: a name looked up on the hook's PATH (default `herald`) or a path. */
  herald?: string;
}

/**
 * `herald integrations install git <repo.git>`: installs the post-receive hook. The hook runs
 * `herald` from its PATH (or the `--herald` path), never this checkout's files, so the command can
 * be upgraded or moved; it is refused here, not at the first push, when that command is not found
 * or the configuration cannot sign what the hook would publish.
 */
export async function runIntegrationsInstall(
  app: string,
  target: string,
  options: IntegrationsInstallOptions,
  io: CommandIo,
): Promise<void> {
  if (app === "mediawiki") return installMediaWiki(target, options, io);
  if (app !== "git") throw new CliError("E_USAGE", `no installer for ${JSON.stringify(app)}: known: git, mediawiki`);
  const gitDir = resolve(io.cwd, target);
  const herald = heraldForHook(options.herald, io);
  const configFile = options.config === undefined ? undefined : resolve(io.cwd, options.config);
  checkCanSign(configFile, io);
  const env = configFile === undefined ? {} : { HERALD_CONFIG: configFile };
  let result: ReturnType<typeof installPostReceiveHook>;
  try {
    result = installPostReceiveHook(gitDir, [herald], env);
  } catch (error) {
    throw new CliError("E_INPUT", (error as Error).message);
  }
  io.stdout.write(`${result.reinstalled ? "reinstalled" : "installed"} ${result.hook} (runs ${herald})\n`);
  if (result.chained !== undefined) io.stdout.write(`the hook that was there runs first: ${result.chained}\n`);
}

/**
 * The command the hook runs: `--herald` (a path, made absolute, that must be executable), else
 * `herald`, which must be on PATH now (the hook adds /usr/local/bin, where `npm install -g` puts it).
 */
function heraldForHook(given: string | undefined, io: CommandIo): string {
  if (given?.includes("/")) {
    const path = resolve(io.cwd, given);
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new CliError("E_USAGE", `--herald ${path}: not an executable file`);
    }
    return path;
  }
  const name = given ?? "herald";
  const folders = [...(io.env.PATH ?? "").split(delimiter), "/usr/local/bin"];
  const found = folders.some((folder) => {
    try {
      accessSync(join(folder, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!found)
    throw new CliError(
      "E_USAGE",
      `${name} is not on PATH, so the hook could not run it: install it (npm install -g @herald/cli) or pass --herald /path/to/herald`,
    );
  return name;
}

/** Refuses a configuration the hook could not publish with: missing, broken, or without a key. */
function checkCanSign(configFile: string | undefined, io: CommandIo): void {
  if (configFile !== undefined && !existsSync(configFile))
    throw new CliError("E_IO", `cannot read ${configFile}: ENOENT (the hook would publish nothing)`);
  const config = configFor(configFile === undefined ? {} : { config: configFile }, io);
  const where = configFile ?? "the configuration";
  if (config.keyFile === undefined || config.keyId === undefined)
    throw new CliError(
      "E_USAGE",
      `${where} has no key_file and key_id: the hook signs what it publishes (herald keygen git.<host> --dir … prints them)`,
    );
  try {
    loadSigningKey(config.keyFile, config.keyId);
  } catch (error) {
    throw new CliError("E_USAGE", `${where}: key_file cannot sign: ${(error as Error).message}`);
  }
}

/**
 * `herald integrations install mediawiki <LocalSettings.php>`: copies the extension into the wiki's
 * own `extensions/Herald` (so it belongs to the wiki: this command can move or be upgraded; run the
 * install again to upgrade the extension), loads it, and points it at the configured relay's HTTP
 * inbound and topic prefix. Idempotent: a second run copies the extension again and changes
 * nothing else.
 */
function installMediaWiki(settings: string, options: IntegrationsInstallOptions, io: CommandIo): void {
  const file = resolve(io.cwd, settings);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new CliError("E_IO", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  const extension = join(dirname(file), "extensions", "Herald");
  try {
    cpSync(mediaWikiExtension, extension, { recursive: true });
  } catch (cause) {
    throw new CliError(
      "E_IO",
      `cannot copy the extension to ${extension}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
    );
  }
  if (text.includes(mediaWikiMarker)) {
    io.stdout.write(`already installed in ${file}; the extension in ${extension} is up to date\n`);
    return;
  }
  const config = configFor(options, io);
  // The wiki posts {topic, data} for the relay to sign: without the relay's token every save
  // would be refused, so say it now rather than on the first edit.
  const tokenFile = config.relay.httpTokenFile;
  if (tokenFile === undefined)
    throw new CliError(
      "E_USAGE",
      "the wiki needs the relay's token: set http_token_file in [relay] of the configuration (a file with a random line of 16+ characters, readable by the web server)",
    );
  const quote = (value: string) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  appendFileSync(
    file,
    [
      "",
      mediaWikiMarker,
      `wfLoadExtension( 'Herald', __DIR__ . '/extensions/Herald/extension.json' );`,
      `$wgHeraldRelayUrl = ${quote(`http://${config.relay.httpHost}:${config.relay.httpPort}/v1/messages`)};`,
      `$wgHeraldTopicPrefix = ${quote(`${config.prefix}.${config.environment}`)};`,
      "// The relay's token: the file is read on each save, so a new token needs no edit here.",
      `$wgHeraldRelayTokenFile = ${quote(tokenFile)};`,
      "// Where saves wait when the relay does not answer; `herald relay --spool` delivers them.",
      `$wgHeraldSpoolDir = ${quote(config.spoolDir)};`,
      "",
    ].join("\n"),
  );
  io.stdout.write(`installed the Herald extension in ${file} (its files in ${extension})\n`);
}

const mediaWikiMarker = "# herald: installed by `herald integrations install mediawiki`";
const mediaWikiExtension = dirname(
  createRequire(import.meta.url).resolve("@herald/integration-mediawiki/extension/Herald/extension.json"),
);

/** `herald integrations install`: its arguments and flags, beside the function that runs it. */
export const integrationsInstallCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .argument("<app>", "git")
        .argument("<target>", "for git: the (bare) repository's folder; --config FILE is written into the hook")
        .option("--herald <command>", "git: the herald the hook runs, a path or a name on PATH (default: herald)"),
    ),
  action: (io) => (app, target, options) => runIntegrationsInstall(app, target, options, io),
});
