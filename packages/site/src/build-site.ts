import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { asyncApiDocument } from "./asyncapi.js";
import { findIntegrations, type IntegrationDoc } from "./integrations.js";
import { homePage } from "./pages/home-page.js";
import { monitorPage } from "./pages/monitor-page.js";
import { topicPage } from "./pages/topic-page.js";
import { topicsIndexPage } from "./pages/topics-index-page.js";
import { searchIndex } from "./search-index.js";
import { type TopicDoc, topicDocs, topicPath } from "./topic-model.js";

/** The site's own files (style, scripts, logo), copied into every build. */
export const assetsDir = fileURLToPath(new URL("../assets/", import.meta.url));

/** Options of {@link buildSite}. */
export interface BuildSiteOptions {
  outDir: string;
  /** Default: the built-in catalogue ({@link topicDocs} of a composed one adds an app's topics). */
  topics?: readonly TopicDoc[];
  /** Default: the integrations installed beside this package. */
  integrations?: readonly IntegrationDoc[];
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
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    files.push(path);
    options.onFile?.(path);
  };
  write("index.html", homePage(topics, integrations));
  write("topics/index.html", topicsIndexPage(topics));
  write("monitor.html", monitorPage(topics.map((topic) => topic.icon)));
  for (const topic of topics) write(topicPath(topic.name), topicPage(topic, integrations));
  write("search-index.json", JSON.stringify(searchIndex(topics)));
  write("asyncapi.json", `${JSON.stringify(asyncApiDocument(topics, options.version ?? "1.0.0"), null, 2)}\n`);
  cpSync(assetsDir, join(options.outDir, "assets"), { recursive: true });
  files.push("assets/");
  return { topics: topics.length, pages: files.filter((file) => file.endsWith(".html")), files };
}
