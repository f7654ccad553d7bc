import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

/** A MediaWiki API client with a cookie jar: logs in, fetches tokens, calls any action. */
export interface MediaWikiApi {
  // The API's answers are deep and varied: tests read them loosely, as parsed JSON.
  // biome-ignore lint/suspicious/noExplicitAny: untyped JSON from MediaWiki's API
  call(params: Record<string, string>, body?: FormData): Promise<Record<string, any>>;
  token(type: string): Promise<string>;
}

/** Creates a {@link MediaWikiApi} for the wiki at `base` (its `api.php` is at `<base>/api.php`). */
export function mediaWikiApi(base: string): MediaWikiApi {
  const cookies = new Map<string, string>();
  const call: MediaWikiApi["call"] = async (params, body) => {
    const form = body ?? new FormData();
    for (const [name, value] of Object.entries({ ...params, format: "json" })) form.append(name, value);
    const response = await fetch(`${base}/api.php`, {
      method: "POST",
      body: form,
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const [name, value] = (pair ?? "").split("=");
      if (name !== undefined && value !== undefined) cookies.set(name.trim(), value);
    }
    return (await response.json()) as Awaited<ReturnType<MediaWikiApi["call"]>>;
  };
  const token = async (type: string) =>
    (await call({ action: "query", meta: "tokens", type })).query.tokens[`${type}token`] as string;
  return { call, token };
}

/** A wiki installed for one test run: Debian's MediaWiki on PHP's built-in server with SQLite. */
export interface TestWiki {
  url: string;
  dir: string;
  localSettings: string;
  admin: { name: string; password: string };
  /** Runs a MediaWiki maintenance script (`createBotPassword.php`, …) against this wiki. */
  maintenance(script: string, args: string[]): string;
  /** Starts serving (after any change to LocalSettings.php) and waits until the API answers. */
  serve(): Promise<void>;
  stop(): void;
}

/**
 * Installs MediaWiki (from Debian's `mediawiki` package) into a fresh folder: SQLite database,
 * an administrator `Admin`. Call `serve()` once LocalSettings.php has what the test needs.
 */
export async function installMediaWiki(): Promise<TestWiki> {
  const dir = mkdtempSync(join(tmpdir(), "herald-mediawiki-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const admin = { name: "Admin", password: "AdminPassword-123!" };
  mkdirSync(join(dir, "db"));
  execFileSync(
    "php",
    [
      "/usr/share/mediawiki/maintenance/install.php",
      "--dbtype=sqlite",
      `--dbpath=${join(dir, "db")}`,
      "--dbname=wiki",
      `--server=${url}`,
      "--scriptpath=",
      `--confpath=${dir}`,
      `--pass=${admin.password}`,
      "Herald Test Wiki",
      admin.name,
    ],
    { stdio: "ignore" },
  );
  const localSettings = join(dir, "LocalSettings.php");
  let server: ChildProcess | undefined;
  const env = { ...process.env, MW_CONFIG_FILE: localSettings };
  return {
    url,
    dir,
    localSettings,
    admin,
    maintenance: (script, args) =>
      execFileSync("php", [`/usr/share/mediawiki/maintenance/${script}`, `--conf=${localSettings}`, ...args], {
        env,
        encoding: "utf8",
      }),
    async serve() {
      server = spawn("php", ["-S", `127.0.0.1:${port}`, "-t", "/usr/share/mediawiki"], { env, stdio: "ignore" });
      for (let tries = 0; tries < 100; tries++) {
        try {
          if ((await fetch(`${url}/api.php?action=query&format=json`)).ok) return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      throw new Error(`MediaWiki did not answer at ${url}`);
    },
    stop: () => server?.kill("SIGKILL"),
  };
}

/** Appends PHP lines to a wiki's LocalSettings.php. */
export function configureMediaWiki(wiki: TestWiki, php: string): void {
  appendFileSync(wiki.localSettings, `${php}\n`);
}
