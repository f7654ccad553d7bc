import { cpSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeDirectory } from "@herald/sdk/internal";
import { asyncApiDocument } from "./asyncapi.js";
import type { ConsumerDoc } from "./consumers.js";
import { findIntegrations, type IntegrationDoc } from "./integrations.js";
import { homePage, type SiteSource } from "./pages/home-page.js";
import { monitorPage } from "./pages/monitor-page.js";
import { topicPage } from "./pages/topic-page.js";
import { topicsIndexPage } from "./pages/topics-index-page.js";
import { searchIndex } from "./search-index.js";
import { defaultSiteSettings, type SiteSettings } from "./site-config.js";
import { schemaFilePath, type TopicDoc, topicDocs, topicPath } from "./topic-model.js";

/** The site's own files (style, scripts, logo), copied into every build. */
export const assetsDir = fileURLToPath(new URL("../assets/", import.meta.url));

/** Options of {@link buildSite}. */
export interface BuildSiteOptions {
  outDir: string;
  /** Default: the built-in catalogue ({@link topicDocs} of a composed one adds an app's topics). */
  topics?: readonly TopicDoc[];
  /** Default: the integrations installed beside this package. */
  integrations?: readonly IntegrationDoc[];
  /** The adopter's title, introduction and servers (`[site]` of herald.toml); default {@link defaultSiteSettings}. */
  site?: SiteSettings;
  /** Hosted consumers (`[[hub.consumers]]`): who handles and who publishes each topic. */
  consumers?: readonly ConsumerDoc[];
  /** Where the topics come from, named on the home page (a catalogue's `sources`). */
  sources?: readonly SiteSource[];
  /** The registry's version in the AsyncAPI document. */
  version?: string;
  /** Called once per file written, for progress. */
  onFile?: (path: string) => void;
}

/** What {@link buildSite} wrote. */
export interface BuiltSite {
  topics: number;
  pages: string[];
  files: string[];
}

/**
 * Generates the static documentation site into `outDir`: the home page, the topic index, one page
 * per topic, the live monitor's page (live when `herald gateway` serves the site),
 * `search-index.json`, `asyncapi.json` and the assets. Everything is self-hosted: no
 * CDN, no web font, no framework at run time.
 */
export async function buildSite(options: BuildSiteOptions): Promise<BuiltSite> {
  const topics = options.topics ?? (await topicDocs());
  const integrations = options.integrations ?? findIntegrations(dirname(fileURLToPath(import.meta.url)));
  const files: string[] = [];
  const write = (path: string, text: string) => {
    const target = join(options.outDir, path);
    makeDirectory(dirname(target));
    writeFileSync(target, text);
    files.push(path);
    options.onFile?.(path);
  };
  const site = options.site ?? defaultSiteSettings;
  write("index.html", homePage(topics, integrations, site, options.sources));
  write("topics/index.html", topicsIndexPage(topics, site.title));
  write(
    "monitor.html",
    monitorPage(
      topics.map((topic) => topic.icon),
      site.title,
    ),
  );
  for (const topic of topics) {
    write(topicPath(topic.name), topicPage(topic, integrations, site.title, options.consumers));
    // Each version's JSON Schema as released, at a stable URL a validator or a registry can fetch.
    for (const version of topic.versions)
      write(schemaFilePath(topic.name, version.version), `${JSON.stringify(version.jsonSchema, null, 2)}\n`);
  }
  write("search-index.json", JSON.stringify(searchIndex(topics)));
  write("asyncapi.json", `${JSON.stringify(asyncApiDocument(topics, options.version ?? "1.0.0", site), null, 2)}\n`);
  cpSync(assetsDir, join(options.outDir, "assets"), { recursive: true });
  files.push("assets/");
  return { topics: topics.length, pages: files.filter((file) => file.endsWith(".html")), files };
}
