import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { diffSchemas } from "@herald/codegen";
import { catalogueEntries, committedSchemaDir, emitSchemaFiles } from "@herald/schemas";
import { CliError } from "../../cli-error.js";
import { defineCommand } from "../../define-command.js";
import type { CommandIo } from "../../io.js";

/**
 * `herald schema check [--against GIT_REF]`: the registry keeps its promises.
 * 1. Every minor version is compatible with the one before it.
 * 2. The committed JSON files are what the TypeBox sources emit (nothing stale, nothing hand-edited).
 * 3. With `--against`, every version released at that ref is still there, byte for byte.
 */
export async function runSchemaCheck(options: { against?: string }, io: CommandIo): Promise<void> {
  const problems: string[] = [];
  const entries = catalogueEntries();
  for (const entry of entries) {
    const [major, minor] = entry.version.split(".").map(Number) as [number, number];
    const previous = entries.find((other) => other.name === entry.name && other.version === `${major}.${minor - 1}`);
    if (previous === undefined) continue;
    for (const change of diffSchemas(previous.document, entry.document).changes.filter((c) => c.breaking)) {
      problems.push(
        `${entry.name} ${entry.version}: ${change.path} ${change.rule} (${change.detail}) breaks ${previous.version}: needs a new major`,
      );
    }
  }
  const emitted = new Map(emitSchemaFiles().map((file) => [file.path, file.text]));
  for (const [path, text] of emitted) {
    const file = join(committedSchemaDir, path);
    if (!existsSync(file)) problems.push(`${path}: not generated (run npm run generate -w @herald/schemas)`);
    else if (readFileSync(file, "utf8") !== text)
      problems.push(`${path}: differs from its TypeBox source (run npm run generate -w @herald/schemas)`);
  }
  if (options.against !== undefined) problems.push(...releasedVersionProblems(options.against, emitted));
  if (problems.length > 0) {
    for (const problem of problems) io.stderr.write(`${problem}\n`);
    throw new CliError("E_FAILED", `schema check found ${problems.length} problem(s)`);
  }
  io.stdout.write(
    `ok: ${entries.length} schema versions${options.against === undefined ? "" : `, none released at ${options.against} changed`}\n`,
  );
}

/** Versions present at `ref` must be emitted today exactly as they were then. */
function releasedVersionProblems(ref: string, emitted: Map<string, string>): string[] {
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd: committedSchemaDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  let listing: string;
  try {
    listing = git(["ls-tree", "-r", "--name-only", ref, "--", "."]);
  } catch (cause) {
    const words = String((cause as { stderr?: string }).stderr ?? cause)
      .trim()
      .split("\n")[0];
    throw new CliError("E_USAGE", `cannot read the schemas at ${ref}: ${words}`);
  }
  const problems: string[] = [];
  // ls-tree run inside json/ lists paths relative to it; `<ref>:./<path>` reads them the same way.
  for (const path of listing.split("\n").filter((line) => line.endsWith(".json") && !line.endsWith("index.json"))) {
    const released = git(["show", `${ref}:./${path}`]);
    const now = emitted.get(path);
    if (now === undefined) problems.push(`${path}: released at ${ref} but removed: released versions are immutable`);
    else if (now !== released) problems.push(`${path}: released at ${ref} but edited: add a new version instead`);
  }
  return problems;
}

/** `herald schema check`: its arguments and flags, beside the function that runs it. */
export const schemaCheckCommand = defineCommand({
  configure: (command) =>
    command.option("--against <ref>", "git ref whose released versions must be unchanged (e.g. origin/main)"),
  action: (io) => (options) => runSchemaCheck(options, io),
});
