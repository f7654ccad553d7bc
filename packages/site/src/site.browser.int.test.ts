/// <reference lib="dom" />
// The callbacks given to page.waitForFunction run in the browser.
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumAvailable, chromiumLaunchOptions } from "@herald/test-support";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "./build-site.js";
import { serveStaticFile } from "./static-files.js";

// `HERALD_SCREENSHOTS=docs/screenshots` also saves the pictures the README shows.
const screenshots = process.env.HERALD_SCREENSHOTS;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;

describe.skipIf(!chromiumAvailable())("the documentation site in Chromium", () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-site-browser-"));
    await buildSite({ outDir: dir });
    server = createServer((request, response) => {
      if (!serveStaticFile(dir, request, response)) response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch(chromiumLaunchOptions);
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it("opens the home page with the integrations and every topic", async () => {
    await page.goto(`${base}/index.html`);
    await expect(page.title()).resolves.toBe("Overview · Herald topics");
    expect(await page.locator("#integrations + table tr").count()).toBeGreaterThan(4);
    expect(await page.locator(".topic-card").count()).toBe(21);
    if (screenshots !== undefined) await page.screenshot({ path: join(screenshots, "home.png") });
  });

  it("shows a topic page with its versions, changes, example and type", async () => {
    await page.click('a.topic-card[href="topics/wiki.article.edit.html"]');
    await page.waitForURL(/wiki\.article\.edit\.html$/);
    await expect(page.locator("h2#v1\\.1").textContent()).resolves.toContain("Version 1.1");
    await expect(page.locator("h2#v1\\.0").textContent()).resolves.toContain("Version 1.0");
    await expect(page.locator("#v1\\.1-changes + table").textContent()).resolves.toContain("size_delta");
    await expect(page.locator("body").textContent()).resolves.toContain("export interface WikiArticleEditV1");
    if (screenshots !== undefined) await page.screenshot({ path: join(screenshots, "topic.png") });
  });

  it("says so when its live monitor is opened without a gateway", async () => {
    await page.goto(`${base}/monitor.html`);
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("no gateway here"));
  });

  it("finds topics and fields from the search box, and goes there", async () => {
    await page.goto(`${base}/index.html`);
    await page.fill("#search", "tag");
    await page.waitForSelector("#search-results a");
    const titles = await page.locator("#search-results a").allTextContents();
    expect(titles[0]).toContain("git.tag.create");
    await page.fill("#search", "size delta");
    await page.waitForFunction(() => document.querySelector("#search-results a")?.textContent?.includes("size_delta"));
    await page.keyboard.press("Enter");
    await page.waitForURL(/wiki\.article\.edit\.html#v1\.1-fields$/);
    await page.fill("#search", "zzzz-nothing");
    await expect(page.locator("#search-results .empty").textContent()).resolves.toBe("No topic or field matches.");
  });

  it("fits 1280 px and 390 px screens without scrolling sideways", async () => {
    const paths = [
      "index.html",
      "topics/index.html",
      "topics/wiki.article.edit.html",
      "topics/git.receive.html",
      "monitor.html",
    ];
    for (const width of [1280, 390]) {
      const narrow = await browser.newPage({ viewport: { width, height: 860 } });
      for (const path of paths) {
        await narrow.goto(`${base}/${path}`);
        const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect({ width, path, overflow }).toEqual({ width, path, overflow: 0 });
      }
      if (screenshots !== undefined && width === 390)
        await narrow.screenshot({ path: join(screenshots, "topic-390.png"), fullPage: false });
      await narrow.close();
    }
  });

  it("copies a code block with its copy button", async () => {
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const copying = await context.newPage();
    await copying.goto(`${base}/topics/git.receive.html`);
    const block = copying.locator("pre").first();
    const text = await block.locator("code").textContent();
    await block.locator("button.copy").click();
    // The click's handler awaits the clipboard: wait for what it shows afterwards.
    await copying.waitForFunction(() => document.querySelector("pre button.copy")?.textContent === "Copied");
    await expect(copying.evaluate(() => navigator.clipboard.readText())).resolves.toBe(text);
    await context.close();
  });
});
