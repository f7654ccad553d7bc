/// <reference lib="dom" />
// The callbacks given to page.waitForFunction run in the browser.
import { join } from "node:path";
import { createBus, createEnvelope, type Envelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import {
  chromiumAvailable,
  chromiumLaunchOptions,
  createCleanup,
  freePort,
  runHerald,
  startHerald,
  tcpAddress,
  until,
  untilSubscribed,
} from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { type Browser, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const screenshots = process.env.HERALD_SCREENSHOTS;

describe.skipIf(!chromiumAvailable())("the live monitor of herald gateway, in Chromium", () => {
  it("shows a message, filters in the gateway, and keeps answering clicks and every message through a flood", async () => {
    // A publisher the gateway connects to, signing as two apps.
    const dir = (await import("node:fs")).mkdtempSync(join((await import("node:os")).tmpdir(), "herald-monitor-"));
    const trust = join(dir, "trust.json");
    await runHerald(["keygen", "git.mon01", "--dir", dir, "--trust", trust]);
    await runHerald(["keygen", "account.mon01", "--dir", dir, "--trust", trust]);
    const keys = {
      git: loadSigningKey(join(dir, "git.mon01.pem"), "git.mon01"),
      account: loadSigningKey(join(dir, "account.mon01.pem"), "account.mon01"),
    };
    const address = await tcpAddress();
    const publishing = await createZeroMqTransport({ bind: [address] });
    const publisher = createBus({ schemas: "none", transport: publishing });
    cleanup.add(() => publisher.close());
    let sequence = 0;
    const tag = (username: string): Envelope =>
      signEnvelope(
        createEnvelope({
          topic: "org.example.prod.git.tag.create",
          app: "git",
          dataschema: "herald:git.tag.create/1.0",
          data: { repo: "herald", tag: `v${++sequence}`, rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username },
        }),
        keys.git,
      );
    const user = (username: string): Envelope =>
      signEnvelope(
        createEnvelope({ topic: "org.example.prod.account.user.create", app: "account", data: { username } }),
        keys.account,
      );

    const port = await freePort();
    const gateway = startHerald(["gateway", "--connect", address, "--trust", trust, "--http", String(port)]);
    cleanup.add(() => gateway.stop());
    await gateway.waitFor(/ready: monitor at/);
    const browser: Browser = await chromium.launch(chromiumLaunchOptions);
    cleanup.add(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("live"));
    // ZeroMQ drops what is published before the subscription reached the publisher: the
    // gateway's subscription is in place once the publishing socket counts it.
    await untilSubscribed(publishing);

    // 1. A message appears (how fast is `npm run bench`'s business, not a test's).
    const published = Date.now();
    await publisher.publishEnvelope(tag("alice"));
    await page.waitForSelector('.row .summary:text("alice tagged herald v1")', { timeout: 30_000 });
    const shownAfter = Date.now() - published;
    await expect(page.locator(".row .badge").first().textContent()).resolves.toBe("verified");
    await page.click(".row");
    await expect(page.locator("#detail pre").textContent()).resolves.toContain('"keyid": "git.mon01"');

    // 2. Filtering by topic pattern happens in the gateway: only account messages arrive.
    // The gateway's hello answers the filter: the page notes it, and from then on it applies.
    const applied = (pattern: string) =>
      page.waitForFunction(
        (want) => document.getElementById("filters")?.dataset.applied?.includes(want) === true,
        pattern,
      );
    await page.fill('input[name="topics"]', "account.#");
    await page.click('button[type="submit"]');
    await applied('"topics":["account.#"]');
    await publisher.publishEnvelope(tag("bob"));
    await publisher.publishEnvelope(user("carol"));
    // A last account message: the page draws what arrived in order, so once it shows, bob's tag
    // would have shown before it had the gateway let it through.
    await publisher.publishEnvelope(user("dave"));
    await page.waitForSelector('.row .summary:text("new user dave")', { timeout: 30_000 });
    expect((await page.locator(".row .summary").allTextContents()).sort()).toEqual(["new user carol", "new user dave"]);
    await page.fill('input[name="topics"]', "");
    await page.click('button[type="submit"]');
    await applied('"topics":[]');

    // 3. At 1,000 messages a second the page still answers every click, and every message arrives.
    let flooding = true;
    const flood = (async () => {
      const started = Date.now();
      let sent = 0;
      while (flooding) {
        const due = Math.floor(((Date.now() - started) / 1000) * 1000);
        while (sent < due) {
          await publisher.publishEnvelope(sent % 3 === 0 ? user(`user${sent}`) : tag(`dev${sent % 7}`));
          sent++;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return { sent, seconds: (Date.now() - started) / 1000 };
    })();
    // The flood is under way once the page has counted some of it.
    const readReceived = async () =>
      Number((await page.locator("#status").textContent())?.match(/([\d,]+) received/)?.[1]?.replaceAll(",", "") ?? 0);
    await until(async () => (await readReceived()) > 500, "the flood on the page", 30_000);
    // Measured in the page, from the click's input time to the frame that shows the new state: what
    // a person waits for. Playwright's own round trips to the browser are not part of it.
    await page.evaluate(() => {
      const times: number[] = [];
      (window as unknown as { clickLatencies: number[] }).clickLatencies = times;
      document.getElementById("pause")?.addEventListener("click", (event) => {
        const input = event.timeStamp;
        requestAnimationFrame(() => setTimeout(() => times.push(performance.now() - input), 0));
      });
    });
    for (let click = 0; click < 6; click++) {
      const pressed = click % 2 === 0 ? "true" : "false";
      await page.click("#pause");
      await page.waitForFunction(
        (value) => document.getElementById("pause")?.getAttribute("aria-pressed") === value,
        pressed,
        { polling: "raf" },
      );
    }
    // Each click's time is taken a frame after it shows: wait for the sixth, not for a pause.
    await page.waitForFunction(() => (window as unknown as { clickLatencies: number[] }).clickLatencies.length >= 6);
    const latencies = await page.evaluate(() => (window as unknown as { clickLatencies: number[] }).clickLatencies);
    expect(latencies).toHaveLength(6);
    if (screenshots !== undefined) await page.screenshot({ path: join(screenshots, "monitor.png") });
    flooding = false;
    const { sent, seconds } = await flood;
    // The page refreshes its status line once a second: read until it shows the whole flood.
    let received = 0;
    await until(
      async () => {
        received = await readReceived();
        return received >= sent;
      },
      "the whole flood counted on the page",
      30_000,
    ).catch(() => {});
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)] as number;
    process.stderr.write(
      `monitor: shown ${shownAfter} ms after publishing; ${Math.round(sent / seconds)} msg/s for ${seconds.toFixed(1)} s; click latency median ${median.toFixed(0)} ms (max ${Math.max(...latencies).toFixed(0)} ms); browser received ${received} of ${sent} (+2 before)\n`,
    );
    // The flood and the earlier messages, all of them: the gateway drops only for a browser too slow.
    expect(received).toBeGreaterThanOrEqual(sent * 0.99);
  }, 90_000);
});
