import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { diffSchemas } from "@herald/codegen";
import {
  catalogueEntries,
  committedSchemaDir,
  compileSchema,
  emitSchemaFiles,
  loadSchemaDirectory,
  type SchemaEntry,
} from "@herald/schemas";
import { HeraldError } from "@herald/sdk";
import { CliError } from "../../cli-error.js";
import { collect, withConfig } from "../../cli-options.js";
import { configFor } from "../../config-flag.js";
import { defineCommand } from "../../define-command.js";
import type { CommandIo } from "../../io.js";

/** Flags of `herald schema check`. */
export interface SchemaCheckOptions {
  against?: string;
  eachCommitSince?: string;
  schemas?: string[];
  config?: string;
  json?: boolean;
}

/** One folder of schemas the check examined. */
interface Target {
  /** How the report names it: the folder as given, or "the built-in catalogue". */
  name: string;
  location: string;
  entries: SchemaEntry[];
  /** Only the built-in catalogue has TypeBox sources whose emitted files must match. */
  builtIn: boolean;
}

/**
 * `herald schema check [--against GIT_REF]`: a project's own schemas keep their promises. It
 * examines the folders of `schemas = […]` in herald.toml and every `--schemas DIR` (and, inside
 * the Herald repository, the built-in catalogue); examining nothing is an error, never an "ok".
 * 1. Every example of a version validates against it.
 * 2. Every minor version is compatible with the one before it.
 * 3. The built-in catalogue's committed JSON files are what its TypeBox sources emit.
 * 4. With `--against`, every version released at that ref is still there, byte for byte.
 * 5. With `--each-commit-since`, no commit after that ref edited or removed a version its parent
 *    had: a version is released once it is committed, so a check of the tip alone (where the
 *    change is already in) cannot miss an edit made in it.
 */
export async function runSchemaCheck(options: SchemaCheckOptions, io: CommandIo): Promise<void> {
  const targets = checkTargets(options, io);
  if (targets.length === 0)
    throw new CliError(
      "E_USAGE",
      'nothing to check: list the project\'s schema folders in herald.toml (schemas = ["schemas/"]) or give --schemas DIR',
    );
  const problems: string[] = [];
  for (const target of targets) {
    if (target.entries.length === 0) problems.push(`${target.name}: no schema versions found in ${target.location}`);
    problems.push(...exampleProblems(target.entries), ...compatibilityProblems(target.entries));
    if (target.builtIn) problems.push(...emittedFileProblems());
    if (options.against !== undefined) problems.push(...releasedVersionProblems(options.against, target));
    if (options.eachCommitSince !== undefined) problems.push(...editedInCommits(options.eachCommitSince, target));
  }
  const versions = targets.reduce((sum, target) => sum + target.entries.length, 0);
  if (options.json)
    io.stdout.write(
      `${JSON.stringify({
        ok: problems.length === 0,
        examined: targets.map((target) => ({
          name: target.name,
          location: target.location,
          versions: target.entries.length,
        })),
        against: options.against ?? null,
        eachCommitSince: options.eachCommitSince ?? null,
        problems,
      })}\n`,
    );
  else for (const problem of problems) io.stderr.write(`${problem}\n`);
  if (problems.length > 0) throw new CliError("E_FAILED", `schema check found ${problems.length} problem(s)`);
  if (!options.json)
    io.stdout.write(
      `ok: ${versions} schema versions in ${targets.map((target) => target.name).join(", ")}${
        options.against === undefined ? "" : `, none released at ${options.against} changed`
      }${options.eachCommitSince === undefined ? "" : `, none edited by a commit since ${options.eachCommitSince}`}\n`,
    );
}

/**
 * True when `cwd` is in the git work tree that holds the built-in catalogue's sources: Herald's own
 * repository, where its catalogue is a project's schemas like any other. An installed copy (under
 * node_modules) is never examined: it is not the project's to change.
 */
function insideHeraldRepository(cwd: string): boolean {
  let root = dirname(committedSchemaDir);
  while (!existsSync(join(root, ".git"))) {
    if (dirname(root) === root) return false;
    root = dirname(root);
  }
  const within = (base: string, path: string) => {
    const rest = relative(base, path);
    return rest === "" || (rest !== ".." && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
  };
  return !relative(root, committedSchemaDir).split(sep).includes("node_modules") && within(root, resolve(cwd));
}

/** The folders to examine: configured and given ones, and the built-in catalogue inside its repository. */
function checkTargets(options: SchemaCheckOptions, io: CommandIo): Target[] {
  const config = configFor(options, io);
  const targets: Target[] = [];
  if (insideHeraldRepository(io.cwd))
    targets.push({
      name: "the built-in catalogue",
      location: committedSchemaDir,
      entries: catalogueEntries(),
      builtIn: true,
    });
  for (const folder of [...config.schemas, ...(options.schemas ?? [])]) {
    const location = resolve(io.cwd, folder);
    if (targets.some((target) => target.location === location)) continue;
    let entries: SchemaEntry[];
    try {
      entries = loadSchemaDirectory(location);
    } catch (cause) {
      if (cause instanceof HeraldError) throw new CliError("E_USAGE", cause.message);
      throw cause;
    }
    targets.push({ name: relative(io.cwd, location) || ".", location, entries, builtIn: false });
  }
  return targets;
}

function exampleProblems(entries: readonly SchemaEntry[]): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    const examples = (entry.document as { examples?: unknown[] }).examples ?? [];
    const schema = compileSchema(`herald:${entry.name}/${entry.version}`, entry.document);
    for (const [index, example] of examples.entries()) {
      const check = schema.check(example);
      if (!check.ok)
        problems.push(`${entry.name} ${entry.version}: example ${index + 1}: ${check.path} ${check.message}`);
    }
  }
  return problems;
}

function compatibilityProblems(entries: readonly SchemaEntry[]): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    const [major, minor] = entry.version.split(".").map(Number) as [number, number];
    const previous = entries.find((other) => other.name === entry.name && other.version === `${major}.${minor - 1}`);
    if (previous === undefined) continue;
    for (const change of diffSchemas(previous.document, entry.document).changes.filter((c) => c.breaking))
      problems.push(
        `${entry.name} ${entry.version}: ${change.path} ${change.rule} (${change.detail}) breaks ${previous.version}: needs a new major`,
      );
  }
  return problems;
}

function emittedFileProblems(): string[] {
  const problems: string[] = [];
  for (const file of emitSchemaFiles()) {
    const path = join(committedSchemaDir, file.path);
    if (!existsSync(path)) problems.push(`${file.path}: not generated (run npm run generate -w @herald/schemas)`);
    else if (readFileSync(path, "utf8") !== file.text)
      problems.push(`${file.path}: differs from its TypeBox source (run npm run generate -w @herald/schemas)`);
  }
  return problems;
}

/** Versions present at `ref` must still be in the folder, byte for byte. */
/** Runs git in `cwd`; a git error is one line about `what`, exit 2. */
function gitIn(cwd: string, what: string): (args: string[]) => string {
  return (args) => {
    try {
      return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (cause) {
      const words = String((cause as { stderr?: string }).stderr ?? cause)
        .trim()
        .split("\n")[0];
      throw new CliError("E_USAGE", `cannot read ${what}: ${words}`);
    }
  };
}

const versionFile = /(^|\/)\d+\.\d+\.json$/;

/**
 * Each commit after `since` that touched the folder, against its first parent: a version file the
 * parent had and the commit modified or deleted is a released version changed.
 */
function editedInCommits(since: string, target: Target): string[] {
  const git = gitIn(target.location, `${target.name} since ${since}`);
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${since}^{commit}`], {
      cwd: target.location,
      stdio: "ignore",
    });
  } catch {
    throw new CliError("E_USAGE", `--each-commit-since: no commit ${since} in the history of ${target.location}`);
  }
  const problems: string[] = [];
  const commits = git(["rev-list", "--reverse", "--first-parent", `${since}..HEAD`, "--", "."])
    .split("\n")
    .filter(Boolean);
  for (const commit of commits) {
    const changes = git(["diff", "--name-status", "--no-renames", "--relative", `${commit}^`, commit, "--", "."]);
    for (const line of changes.split("\n")) {
      const [status, path] = line.split("\t");
      if (path === undefined || !versionFile.test(path) || (status !== "M" && status !== "D")) continue;
      const subject = git(["log", "-1", "--format=%h %s", commit]).trim();
      problems.push(
        `${join(target.name, path)}: released before ${subject.split(" ")[0]} and ${status === "M" ? "edited" : "removed"} by it ("${subject.slice(subject.indexOf(" ") + 1)}"): add a new version instead`,
      );
    }
  }
  return problems;
}

function releasedVersionProblems(ref: string, target: Target): string[] {
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd: target.location, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  let listing: string;
  try {
    listing = git(["ls-tree", "-r", "--name-only", ref, "--", "."]);
  } catch (cause) {
    const words = String((cause as { stderr?: string }).stderr ?? cause)
      .trim()
      .split("\n")[0];
    throw new CliError("E_USAGE", `cannot read ${target.name} at ${ref}: ${words}`);
  }
  const problems: string[] = [];
  // ls-tree run inside the folder lists paths relative to it; `<ref>:./<path>` reads them the same way.
  for (const path of listing.split("\n").filter((line) => /(^|\/)\d+\.\d+\.json$/.test(line))) {
    const released = git(["show", `${ref}:./${path}`]);
    const file = join(target.location, path);
    const now = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (now === undefined)
      problems.push(`${join(target.name, path)}: released at ${ref} but removed: released versions are immutable`);
    else if (now !== released)
      problems.push(`${join(target.name, path)}: released at ${ref} but edited: add a new version instead`);
  }
  return problems;
}

/** `herald schema check`: its arguments and flags, beside the function that runs it. */
export const schemaCheckCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--against <ref>", "git ref whose released versions must be unchanged (e.g. origin/main)")
        .option(
          "--each-commit-since <ref>",
          "also fail when any commit after this ref edited or removed a version its parent had",
        )
        .option(
          "--schemas <dir>",
          "a folder of the project's schemas, <name>/<major>.<minor>.json (repeatable; added to herald.toml's schemas)",
          collect,
        )
        .option("--json", "print what was examined and every problem as JSON"),
    ),
  action: (io) => (options) => runSchemaCheck(options, io),
});
