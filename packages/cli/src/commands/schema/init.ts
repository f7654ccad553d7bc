import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { makeDirectory } from "@herald/sdk/internal";
import { CliError } from "../../cli-error.js";
import { defineCommand } from "../../define-command.js";
import type { CommandIo } from "../../io.js";
import { schemaPackageFiles } from "./init-template.js";

/** Flags of `herald schema init`. */
export interface SchemaInitOptions {
  dir?: string;
}

const appName = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * `herald schema init APP`: writes a schema package for an app's own topics into `<APP>-schemas/`
 * (or `--dir`): TypeBox sources, their build to JSON Schema files, generated types, a test that
 * every example validates and released versions stay, and a CI workflow running
 * `herald schema check --against <base ref>`. Refuses to write into a folder that has files.
 */
export async function runSchemaInit(app: string, options: SchemaInitOptions, io: CommandIo): Promise<void> {
  if (!appName.test(app))
    throw new CliError(
      "E_USAGE",
      `app ${JSON.stringify(app)}: a lower-case name, the first token of its topics (shop)`,
    );
  const dir = resolve(io.cwd, options.dir ?? `${app}-schemas`);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new CliError("E_USAGE", `${relative(io.cwd, dir) || "."} is not empty: give --dir a new folder`);
  const files = schemaPackageFiles(app);
  for (const [path, text] of Object.entries(files)) {
    makeDirectory(dirname(join(dir, path)));
    writeFileSync(join(dir, path), text);
  }
  const shown = relative(io.cwd, dir) || ".";
  io.stdout.write(
    [
      `wrote ${Object.keys(files).length} files to ${shown}: a schema package for ${app}'s topics`,
      "next:",
      `  cd ${shown} && npm install && npm run build && npm test`,
      `  edit src/${app}.item.created/1.0.js, or add src/<name>/<major>.<minor>.js; released versions never change`,
      "  npm pack, or npm publish; a project that depends on it knows its topics (docs/schemas.md)",
      "",
    ].join("\n"),
  );
}

/** `herald schema init`: its arguments and flags, beside the function that runs it. */
export const schemaInitCommand = defineCommand({
  configure: (command) =>
    command
      .argument("<app>", "the app whose topics the package holds (their first token: shop)")
      .option("--dir <dir>", "where to write it (default: <app>-schemas)"),
  action: (io) => (app, options) => runSchemaInit(app, options, io),
});
