import { resolve } from "node:path";
import { installPostReceiveHook } from "@herald/integration-git";
import { CliError } from "../cli-error.js";
import { heraldCommandLine } from "../herald-command-line.js";
import type { CommandIo } from "../io.js";

/** `herald integrations install git <repo.git>`: installs the post-receive hook. */
export async function runIntegrationsInstall(
  app: string,
  target: string,
  options: { config?: string },
  io: CommandIo,
): Promise<void> {
  if (app !== "git") throw new CliError("E_USAGE", `no installer for ${JSON.stringify(app)}: known: git`);
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
