import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { checkConsumer, importModuleDefault } from "@herald/hub";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { positiveInteger, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, colorsFor } from "../io.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";

/** Flags of `herald consumer check`. */
export interface ConsumerCheckOptions {
  timeout?: number;
  json?: boolean;
  config?: string;
}

/**
 * `herald consumer check MODULE`: runs a consumer module against the hosting policy (docs/hub.md)
 * and prints one line per rule; exit 1 when any rule fails. The handler really runs, on the
 * catalogue's examples, with the settings of its `[[hub.consumers]]` entry when there is one.
 */
export async function runConsumerCheck(module: string, options: ConsumerCheckOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const path = /^\.{0,2}\//.test(module) ? resolve(io.cwd, module) : module;
  // A module file that is not there is a path mistake (I/O, exit 2), not a finding about a consumer.
  if (isAbsolute(path) && !existsSync(path)) throw new CliError("E_IO", `cannot read ${module}: ENOENT`);
  let consumer: unknown;
  try {
    consumer = await importModuleDefault(path);
  } catch (cause) {
    throw new CliError("E_INPUT", (cause as Error).message.replace(/^consumer /, ""));
  }
  const entry = config.hub.consumers.find((consumer) => consumer.module === path);
  const findings = await checkConsumer(consumer, module, {
    settings: entry?.settings ?? {},
    timeoutMs: options.timeout ?? entry?.limits.timeoutMs ?? config.hub.limits.timeoutMs,
    entries: schemaCatalogueFor(config, io).entries,
  });
  if (options.json) io.stdout.write(`${JSON.stringify({ module, ok: findings.every((f) => f.ok), findings })}\n`);
  else {
    const colors = colorsFor(io.stdout, io.env);
    for (const finding of findings) {
      const mark = finding.ok ? colors.green("pass") : colors.red("FAIL");
      io.stdout.write(`${mark} ${finding.rule}: ${finding.detail}\n`);
    }
  }
  const failed = findings.filter((finding) => !finding.ok).length;
  if (failed > 0) throw new CliError("E_FAILED", `${module} breaks ${failed} rule(s) of the hosting policy`);
}

/** `herald consumer check`: its arguments and flags, beside the function that runs it. */
export const consumerCheckCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .argument("<module>", "the consumer module: a path or a package name")
        .addOption(
          new Option("--timeout <ms>", "time allowed per message (default: hub timeout_ms)").argParser(positiveInteger),
        )
        .option("--json", "print the findings as JSON"),
    ),
  action: (io) => (module, options) => runConsumerCheck(module, options, io),
});
