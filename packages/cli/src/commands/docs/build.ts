import { isAbsolute, relative, resolve } from "node:path";
import { loadConsumer } from "@herald/hub";
import { buildSite, type ConsumerDoc, checkLinks, topicDocs } from "@herald/site";
import { CliError } from "../../cli-error.js";
import { collect, withConfig } from "../../cli-options.js";
import { configFor } from "../../config-flag.js";
import { defineCommand } from "../../define-command.js";
import type { CommandIo } from "../../io.js";
import { schemaCatalogueFor } from "../../schema-catalogue.js";

/** Flags of `herald docs build`. */
export interface DocsBuildOptions {
  out: string;
  checkLinks?: boolean;
  json?: boolean;
  schemas?: string[];
  config?: string;
}

/**
 * `herald docs build --out DIR`: generates the topic documentation site from every schema the
 * project knows (the built-in catalogue, its schema packages, herald.toml's `schemas` folders and
 * `--schemas DIR`), titled and introduced by `[site]`, with who handles and publishes each topic
 * from `[[hub.consumers]]`; then checks every link of it (`--no-check-links` skips that); a broken
 * link fails the command.
 */
export async function runDocsBuild(options: DocsBuildOptions, io: CommandIo): Promise<void> {
  const outDir = resolve(io.cwd, options.out);
  const started = performance.now();
  const config = configFor(options, io);
  const catalogue = schemaCatalogueFor(config, io, options.schemas);
  const consumers: ConsumerDoc[] = [];
  // The declarations only: a module is imported as the hub would import it, its handler never runs.
  for (const hosted of config.hub.consumers) {
    const consumer = await loadConsumer(hosted.module, catalogue.entries);
    consumers.push({
      name: consumer.name,
      module: isAbsolute(hosted.module) ? relative(io.cwd, hosted.module) : hosted.module,
      topics: consumer.topics,
      publishes: consumer.publishes ?? [],
    });
  }
  const built = await buildSite({
    outDir,
    topics: await topicDocs(catalogue),
    site: config.site,
    sources: catalogue.sources,
    consumers,
  });
  const links = options.checkLinks === false ? undefined : checkLinks(outDir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (options.json)
    io.stdout.write(
      `${JSON.stringify({ out: outDir, topics: built.topics, pages: built.pages.length, links: links ?? null })}\n`,
    );
  else
    io.stdout.write(
      `wrote ${built.pages.length} pages for ${built.topics} topics, asyncapi.json and search-index.json to ${outDir} in ${seconds} s${
        links === undefined ? "" : `; ${links.links} links checked`
      }\n`,
    );
  if (links !== undefined && links.broken.length > 0) {
    for (const broken of links.broken) io.stderr.write(`herald: ${broken.page}: ${broken.link}: ${broken.reason}\n`);
    throw new CliError("E_FAILED", `${links.broken.length} broken link(s)`);
  }
}

/** `herald docs build`: its arguments and flags, beside the function that runs it. */
export const docsBuildCommand = defineCommand({
  configure: (command) =>
    withConfig(command)
      .option("--out <dir>", "where to write it", "docs/site")
      .option(
        "--schemas <dir>",
        "more JSON Schema files, <name>/<major>.<minor>.json (repeatable; added to the project's schemas)",
        collect,
      )
      .option("--no-check-links", "skip the link check")
      .option("--json", "print what was written as JSON"),
  action: (io) => (options) => runDocsBuild(options, io),
});
