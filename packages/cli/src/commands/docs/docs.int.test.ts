import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCleanup, runHerald, startHerald } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

describe("herald docs", () => {
  it("builds the site with its links checked, and serves it without leaving its folder", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "herald-docs-")), "site");
    const built = await runHerald(["docs", "build", "--out", out, "--json"]);
    expect(built.code).toBe(0);
    const report = JSON.parse(built.stdout) as { topics: number; pages: number; links: { broken: unknown[] } };
    expect(report.topics).toBe(21);
    expect(report.pages).toBe(24);
    expect(report.links.broken).toEqual([]);

    const server = startHerald(["docs", "serve", "--dir", out, "--port", "0"]);
    cleanup.add(() => server.stop());
    await server.waitFor(/serving .* at http:\/\/127\.0\.0\.1:\d+\//);
    const base = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(server.output().stderr)?.[1];
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect((await fetch(`${base}/topics/git.receive.html`)).status).toBe(200);
    expect((await fetch(`${base}/asyncapi.json`)).headers.get("content-type")).toBe("application/json");
    expect((await fetch(`${base}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    // A symbolic link in the folder that leads out of it is not followed.
    symlinkSync("/etc/passwd", join(out, "passwd.html"));
    symlinkSync("/etc", join(out, "etc"));
    expect((await fetch(`${base}/passwd.html`)).status).toBe(404);
    expect((await fetch(`${base}/etc/passwd`)).status).toBe(404);
  });

  it("says how to build a site it cannot find", async () => {
    const result = await runHerald(["docs", "serve", "--dir", "/nonexistent/site"]);
    expect([result.code, result.stderr]).toEqual([
      2,
      "herald: no site in /nonexistent/site: run herald docs build --out /nonexistent/site first\n",
    ]);
  });
});
