import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadSchemaDirectory, type SchemaRegistration, signRegistration } from "@herald/schemas";
import { CliError } from "../../cli-error.js";
import { withConfig } from "../../cli-options.js";
import { configFor } from "../../config-flag.js";
import { defineCommand } from "../../define-command.js";
import type { CommandIo } from "../../io.js";
import { signingKeyFrom } from "../sign.js";

/** Flags of `herald schema publish`. */
export interface SchemaPublishOptions {
  registry?: string;
  key?: string;
  keyid?: string;
  json?: boolean;
  config?: string;
}

/** What the registry answered for one version. */
interface Outcome {
  name: string;
  version: string;
  status: "registered" | "unchanged" | "refused";
  reason?: string;
  changes?: string[];
}

/**
 * `herald schema publish DIR --registry URL`: registers every version of a folder, oldest first,
 * each signed with the app's key. Exits 1 when the registry refused one, with its reasons.
 */
export async function runSchemaPublish(folder: string, options: SchemaPublishOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const url = (options.registry ?? config.schema_registry?.url)?.replace(/\/+$/, "");
  if (url === undefined) throw new CliError("E_USAGE", "no registry: pass --registry URL or set schema_registry");
  const key = signingKeyFrom(options, io);
  if (key === undefined) throw new CliError("E_USAGE", "no key: pass --key FILE --keyid ID or set key_file and key_id");
  const dir = resolve(io.cwd, folder);
  // Read as the registry will serve them: checked like any schema folder, then sent byte for byte.
  const entries = loadSchemaDirectory(dir);
  if (entries.length === 0)
    throw new CliError("E_USAGE", `nothing to publish: no <name>/<major>.<minor>.json in ${dir}`);
  const registrations = entries
    .map((entry) => registrationOf(dir, entry.name, entry.version))
    .sort((a, b) => order(a, b));
  const outcomes: Outcome[] = [];
  for (const registration of registrations.map((fields) => signRegistration(fields, key)))
    outcomes.push(await put(url, registration));
  if (options.json) io.stdout.write(`${JSON.stringify({ registry: url, outcomes }, null, 2)}\n`);
  else
    for (const outcome of outcomes) {
      const line = `${outcome.status} ${outcome.name} ${outcome.version}${outcome.reason === undefined ? "" : `: ${outcome.reason}`}`;
      (outcome.status === "refused" ? io.stderr : io.stdout).write(`${line}\n`);
      for (const change of outcome.changes ?? []) io.stderr.write(`  ${change}\n`);
    }
  const refused = outcomes.filter((outcome) => outcome.status === "refused").length;
  if (refused > 0) throw new CliError("E_FAILED", `${url} refused ${refused} of ${outcomes.length} version(s)`);
}

function registrationOf(dir: string, name: string, version: string) {
  const [major] = version.split(".");
  const folder = join(dir, name);
  const presentationFile = [`${major}.presentation.json`, "presentation.json"]
    .map((file) => join(folder, file))
    .find((file) => existsSync(file));
  return {
    name,
    version,
    schema: readFileSync(join(folder, `${version}.json`), "utf8"),
    ...(presentationFile === undefined ? {} : { presentation: readFileSync(presentationFile, "utf8") }),
  };
}

function order(a: { name: string; version: string }, b: { name: string; version: string }): number {
  const [am, an] = a.version.split(".").map(Number) as [number, number];
  const [bm, bn] = b.version.split(".").map(Number) as [number, number];
  return a.name < b.name ? -1 : a.name > b.name ? 1 : am - bm || an - bn;
}

async function put(url: string, registration: SchemaRegistration): Promise<Outcome> {
  const { name, version } = registration;
  let response: Response;
  try {
    response = await fetch(`${url}/schemas/${name}/${version}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(registration),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (cause) {
    throw new CliError(
      "E_USAGE",
      `cannot reach the registry ${url}: ${(cause as Error).cause ?? (cause as Error).message}`,
    );
  }
  const answer = (await response.json().catch(() => ({}))) as { status?: string; reason?: string; changes?: string[] };
  if (response.ok) return { name, version, status: answer.status === "unchanged" ? "unchanged" : "registered" };
  return {
    name,
    version,
    status: "refused",
    reason: answer.reason ?? `answered ${response.status}`,
    ...(answer.changes === undefined || answer.changes.length === 0 ? {} : { changes: answer.changes }),
  };
}

/** `herald schema publish`: its arguments and flags, beside the function that runs it. */
export const schemaPublishCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .argument("<dir>", "the app's schema folder, <name>/<major>.<minor>.json")
        .option("--registry <url>", "the registry service (default: schema_registry of the configuration)")
        .option("--key <file>", "the key that registers (default: key_file of the configuration)")
        .option("--keyid <id>", "the key's id, as the registry's access list names it")
        .option("--json", "print each version's outcome as JSON"),
    ),
  action: (io) => (folder, options) => runSchemaPublish(folder, options, io),
});
