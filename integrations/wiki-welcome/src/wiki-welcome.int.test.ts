import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  appAvailable,
  createCleanup,
  installMediaWiki,
  mediaWikiApi,
  publishWithHerald,
  runHerald,
  startHerald,
  startTestBus,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

describe.skipIf(!appAvailable("mediawiki"))("wiki-welcome, hosted by herald hub", () => {
  it("creates the new user's page on a real MediaWiki, once, however often the message comes", async () => {
    const wiki = await installMediaWiki();
    cleanup.add(() => wiki.stop());
    // MediaWiki takes a login for a bot password only when the password is 32 of [0-9a-z].
    const created = wiki.maintenance("createBotPassword.php", [
      "--appid=herald",
      "--grants=basic,editpage,createeditmovepage",
      wiki.admin.name,
      "heraldbotpassword0123456789abcde",
    ]);
    expect(created).toMatch(/Success/);
    await wiki.serve();

    const bus = await startTestBus({ keyid: "account.welcome01" });
    cleanup.add(() => bus.relay?.stop());
    const passwordFile = join(bus.dir, "wiki-bot-password");
    writeFileSync(passwordFile, "heraldbotpassword0123456789abcde\n");
    appendFileSync(
      bus.config,
      [
        "[hub]",
        "http_port = 0",
        "[[hub.consumers]]",
        'module = "@herald/integration-wiki-welcome"',
        `settings = { api = "${wiki.url}/api.php", username = "Admin@herald", password_file = "${passwordFile}" }`,
        "",
      ].join("\n"),
    );

    // The hosting policy, checked against the real wiki (it creates the example's page, User:erin).
    const check = await runHerald(["consumer", "check", "@herald/integration-wiki-welcome", "--config", bus.config]);
    expect(check.stdout, check.stderr).toMatch(/pass idempotent/);
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);

    const hub = await bus.joined(() => startHerald(["hub", "--config", bus.config]));
    cleanup.add(() => hub.stop());
    await hub.waitFor(/ready: wiki-welcome/);
    for (let time = 0; time < 2; time++) {
      const published = await publishWithHerald(bus.config, "account.user.create", {
        username: "frank",
        full_name: "Frank Example",
      });
      expect(published.code).toBe(0);
    }
    await hub.waitFor(/User:frank already exists: left as it is/);

    const api = mediaWikiApi(wiki.url);
    const page = await api.call({
      action: "query",
      titles: "User:frank",
      prop: "revisions",
      rvprop: "content|user",
      rvslots: "main",
      rvlimit: "10",
    });
    const revisions = (
      Object.values(page.query.pages)[0] as { revisions: { user: string; slots: { main: { "*": string } } }[] }
    ).revisions;
    expect(revisions).toHaveLength(1);
    expect(revisions[0]?.user).toBe("Admin");
    expect(revisions[0]?.slots.main["*"]).toMatch(/^'''Frank Example''' joined on \d{4}-\d\d-\d\d\./);
    expect(hub.output().stderr).not.toContain("heraldbotpassword");
  }, 120_000);
});
