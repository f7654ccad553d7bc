import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Parser } from "@asyncapi/parser";
import { catalogue } from "@herald/schemas";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "./build-site.js";
import { checkLinks } from "./link-check.js";
import type { SearchEntry } from "./search-index.js";

let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "herald-site-"));
  await buildSite({ outDir });
}, 60_000);

/** The first field holding a string, number or boolean, however deep. */
function firstLeaf(value: object): [string, unknown] {
  for (const [key, child] of Object.entries(value)) {
    if (typeof child !== "object" || child === null) return [key, child];
    return firstLeaf(child);
  }
  throw new Error("an example with no field");
}

const read = (path: string) => readFileSync(join(outDir, path), "utf8");

describe("the generated documentation site", () => {
  it("has a page for every topic of the registry with all its versions, each with its fields, example and type", () => {
    for (const topic of catalogue) {
      const page = read(`topics/${topic.name}.html`);
      expect(page).toContain(`id="v${topic.version}"`);
      expect(page).toContain(`id="v${topic.version}-fields"`);
      expect(page).toContain(`herald:${topic.name}/${topic.version}`);
      // The example's data, rendered as JSON (HTML-escaped).
      const [field, value] = firstLeaf(topic.examples[0] as object);
      expect(page).toContain(`&#34;${field}&#34;: ${JSON.stringify(value).replaceAll('"', "&#34;")}`);
      expect(page).toMatch(/export interface [A-Z][A-Za-z0-9]*V\d+ \{/);
      expect(page).toContain("defineConsumer");
    }
  });

  it("shows what changed between consecutive versions", () => {
    const page = read("topics/wiki.article.edit.html");
    expect(page).toContain('id="v1.1-changes"');
    expect(page).toMatch(
      /<code>\$\.size_delta<\/code><\/td><td><code>property-added-optional<\/code><\/td><td>[^<]*optional[^<]*<\/td><td><span class="badge ok">compatible/,
    );
    expect(page).toContain("bob edited Main Page (-3)");
  });

  it("lists the integrations from their own package metadata on the home page", () => {
    const home = read("index.html");
    for (const name of ["@herald/integration-git", "@herald/integration-mediawiki", "@herald/integration-mirror"])
      expect(home).toContain(name);
    expect(home).toContain('href="topics/wiki.article.edit.html"');
    expect(home).toContain('id="naming"');
  });

  it("has no broken link", () => {
    const result = checkLinks(outDir);
    expect(result.pages).toBe(new Set(catalogue.map((topic) => topic.name)).size + 3);
    expect(result.links).toBeGreaterThan(200);
    expect(result.broken).toEqual([]);
  });

  it("indexes topics and fields for the search", () => {
    const entries = JSON.parse(read("search-index.json")) as SearchEntry[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        title: "wiki.article.edit › size_delta",
        href: "topics/wiki.article.edit.html#v1.1-fields",
      }),
    );
  });

  it("writes an AsyncAPI 3.0 document that @asyncapi/parser accepts without errors", async () => {
    const text = read("asyncapi.json");
    const { document, diagnostics } = await new Parser().parse(text);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
    expect(errors.map((error) => `${error.path.join(".")}: ${error.message}`)).toEqual([]);
    expect(document?.version()).toBe("3.0.0");
    expect(document?.channels().length).toBe(new Set(catalogue.map((topic) => topic.name)).size);
    expect(document?.messages().length).toBe(catalogue.length);
    const edit = document?.channels().get("wiki.article.edit");
    expect(edit?.address()).toBe("{prefix}.{environment}.wiki.article.edit");
    expect(edit?.messages().length).toBe(2);
  }, 60_000);
});
