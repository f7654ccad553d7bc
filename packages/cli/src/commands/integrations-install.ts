import { appendFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { installPostReceiveHook } from "@herald/integration-git";
import { CliError } from "../cli-error.js";
import { withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { heraldCommandLine } from "../herald-command-line.js";
import type { CommandIo } from "../io.js";

/** `herald integrations install git <repo.git>`: installs the post-receive hook. */
export async function runIntegrationsInstall(
  app: string,
  target: string,
  options: { config?: string },
  io: CommandIo,
): Promise<void> {
  if (app === "mediawiki") return installMediaWiki(target, options, io);
  if (app !== "git") throw new CliError("E_USAGE", `no installer for ${JSON.stringify(app)}: known: git, mediawiki`);
  const gitDir = resolve(io.cwd, target);
  const env = options.config === undefined ? {} : { HERALD_CONFIG: resolve(io.cwd, options.config) };
  let result: ReturnType<typeof installPostReceiveHook>;
  try {
    result = installPostReceiveHook(gitDir, heraldCommandLine(), env);
  } catch (error) {
    throw new CliError("E_INPUT", (error as Error).message);
  }
  io.stdout.write(`${result.reinstalled ? "reinstalled" : "installed"} ${result.hook}\n`);
  if (result.chained !== undefined) io.stdout.write(`the hook that was there runs first: ${result.chained}\n`);
}

/**
 * `herald integrations install mediawiki <LocalSettings.php>`: loads the extension and points it at
 * the configured relay's HTTP inbound and topic prefix. Idempotent: a second run changes nothing.
 */
function installMediaWiki(settings: string, options: { config?: string }, io: CommandIo): void {
  const file = resolve(io.cwd, settings);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new CliError("E_INPUT", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  if (text.includes(mediaWikiMarker)) {
    io.stdout.write(`already installed in ${file}\n`);
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
      `wfLoadExtension( 'Herald', ${quote(mediaWikiExtension)} );`,
      `$wgHeraldRelayUrl = ${quote(`http://${config.relay.httpHost}:${config.relay.httpPort}/v1/messages`)};`,
      `$wgHeraldTopicPrefix = ${quote(`${config.prefix}.${config.environment}`)};`,
      "// The relay's token: the file is read on each save, so a new token needs no edit here.",
      `$wgHeraldRelayTokenFile = ${quote(tokenFile)};`,
      "// Where saves wait when the relay does not answer; `herald relay --spool` delivers them.",
      `$wgHeraldSpoolDir = ${quote(config.spoolDir)};`,
      "",
    ].join("\n"),
  );
  io.stdout.write(`installed the Herald extension in ${file}\n`);
}

const mediaWikiMarker = "# herald: installed by `herald integrations install mediawiki`";
const mediaWikiExtension = createRequire(import.meta.url).resolve(
  "@herald/integration-mediawiki/extension/Herald/extension.json",
);

/** `herald integrations install`: its arguments and flags, beside the function that runs it. */
export const integrationsInstallCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .argument("<app>", "git")
        .argument("<target>", "for git: the (bare) repository's folder; --config FILE is written into the hook"),
    ),
  action: (io) => (app, target, options) => runIntegrationsInstall(app, target, options, io),
});
