/**
 * @herald/site: the topic documentation site generated from the schema registry (`buildSite`),
 * its AsyncAPI 3.0 document, a link checker, a static file server, and the assets the live bus
 * monitor shares with it.
 */
export { asyncApiDocument } from "./asyncapi.js";
export { assetsDir, type BuildSiteOptions, type BuiltSite, buildSite } from "./build-site.js";
export { type ConsumerDoc, consumersOf } from "./consumers.js";
export { type FieldRow, fieldRows } from "./field-table.js";
export { escapeHtml, html, rawHtml, SafeHtml } from "./html.js";
export { iconSvg } from "./icons.js";
export { findIntegrations, type IntegrationDoc } from "./integrations.js";
export { type BrokenLink, checkLinks } from "./link-check.js";
export type { SiteSource } from "./pages/home-page.js";
export { layout, type PageFrame } from "./pages/layout.js";
export { monitorPage } from "./pages/monitor-page.js";
export { type SearchEntry, searchIndex } from "./search-index.js";
export {
  defaultSiteSettings,
  type SiteConfig,
  type SiteServer,
  type SiteSettings,
  siteConfigSection,
} from "./site-config.js";
export { serveStaticFile } from "./static-files.js";
export { schemaFilePath, type TopicDoc, topicDocs, topicPath, type VersionDoc } from "./topic-model.js";
