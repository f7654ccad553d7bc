import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCleanup, freePort, metricSample, repoRoot, until } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

// The README's five-minute tour, walked as a newcomer would: its commands, unchanged, one after
// the other in one shell, in a fresh folder, on ports of this test's own (the variables the tour
// names). A command must exit 0 unless the tour shows it printing a `herald:` error; what the tour
// shows a command printing must be printed, and a `→` line must appear in `herald tail`.

const cleanup = createCleanup();
afterAll(() => cleanup.run());

/** One command of the tour (a line, or a line with its continuation) and what the tour says it prints. */
interface TourCommand {
  step: string;
  line: string;
  printed: string[];
  onTheBus: string[];
}

/** The tour's commands, from the README's code block under "A five-minute tour". */
function tourCommands(): TourCommand[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## A five-minute tour"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error("README.md has no tour");
  const commands: TourCommand[] = [];
  let step = "";
  for (const raw of block.split("\n")) {
    const stepTitle = /^# (\d+\. .*)$/.exec(raw)?.[1];
    if (stepTitle !== undefined) step = stepTitle;
    const shown = /^# {3}(\S.*)$/.exec(raw)?.[1];
    if (shown !== undefined) {
      const last = commands.at(-1);
      if (last === undefined) throw new Error(`output before any command: ${raw}`);
      if (shown.startsWith("→ ")) last.onTheBus.push(shown.slice(2));
      else last.printed.push(shown);
      continue;
    }
    if (raw.startsWith("#") || raw.trim() === "") continue;
    commands.push({ step, line: raw.replace(/\s+#\s[^'"]*$/, ""), printed: [], onTheBus: [] });
  }
  return commands;
}

/** A line the tour shows, as a pattern: times, dates, durations and build ids vary, spacing too. */
function shownAs(text: string): RegExp {
  const escaped = text
    .trim()
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")
    .replace(/\d\d:\d\d:\d\d\\\.\d{3}/g, "\\d\\d:\\d\\d:\\d\\d\\.\\d{3}")
    .replace(/\b([a-z]+)-[0-9a-f]{8}\b/g, "$1-[0-9a-f]{8}")
    // How long a build took depends on the machine ("after 0 s" on a quiet one, 1 s on a busy one).
    .replace(/\bafter \d+ s\b/g, "after \\d+ s")
    .replace(/\s+/g, "\\s+");
  return new RegExp(escaped);
}

/** One bash reading the tour's commands as a reader pastes them, with what it printed so far. */
function startShell(cwd: string, env: NodeJS.ProcessEnv) {
  const shell: ChildProcess = spawn("bash", ["--norc", "--noprofile"], {
    cwd,
    env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  shell.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  shell.stderr?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  let n = 0;
  return {
    output: () => out,
    /** Runs one command; resolves with its exit status and what was printed meanwhile. */
    async run(line: string, timeoutMs = 60_000): Promise<{ status: number; printed: string }> {
      const marker = `__tour_${++n}__`;
      const from = out.length;
      shell.stdin?.write(`${line}\necho "${marker} $?"\n`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = new RegExp(`${marker} (\\d+)`).exec(out.slice(from));
        if (found) return { status: Number(found[1]), printed: out.slice(from, from + found.index) };
        if (Date.now() > deadline)
          throw new Error(`"${line}" did not finish in ${timeoutMs} ms; printed: ${out.slice(from)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop() {
      if (shell.pid !== undefined)
        try {
          process.kill(-shell.pid, "SIGTERM");
        } catch {}
    },
  };
}

/**
 * Walks the tour in a new folder, as written, checking what each step prints; resolves with how
 * many messages its store holds at the end, once every service is stopped.
 */
async function walkTour(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "herald-tour-"));
  // A project of the reader's: `npx herald` and `@herald/hub` from this checkout's build.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "tour", private: true }));
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  const [inbound, outbound, http, store, gateway, hub] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    HERALD_RELAY_INBOUND: `tcp://127.0.0.1:${inbound}`,
    HERALD_RELAY_OUTBOUND: `tcp://127.0.0.1:${outbound}`,
    HERALD_RELAY_HTTP_PORT: String(http),
    HERALD_RELAYS: `tcp://127.0.0.1:${inbound}`,
    HERALD_ENDPOINTS_LOCAL: `tcp://127.0.0.1:${outbound}`,
    HERALD_STORE_HTTP_PORT: String(store),
    HERALD_STORE_URL: `http://127.0.0.1:${store}`,
    HERALD_GATEWAY_PORT: String(gateway),
    HERALD_HUB_HTTP_PORT: String(hub),
  };
  delete env.HERALD_CONFIG;
  const shell = startShell(dir, env);
  cleanup.add(() => shell.stop());
  // The tour's relay counts the subscribers on its outbound (its /metrics on the HTTP port).
  let relayUp = false;
  const subscribers = async () =>
    relayUp
      ? (metricSample(await (await fetch(`http://127.0.0.1:${http}/metrics`)).text(), "herald_subscribers", {
          part: "relay",
        }) ?? 0)
      : 0;

  for (const command of tourCommands()) {
    const where = `${command.step}: ${command.line}`;
    const readyBefore = (shell.output().match(/ready/g) ?? []).length;
    const subscribersBefore = await subscribers();
    const { status, printed } = await shell.run(command.line);
    const fails = command.printed.some((line) => line.startsWith("herald: "));
    expect(fails ? status !== 0 : status === 0, `${where} exited ${status}: ${printed}`).toBe(true);
    if (command.line.endsWith("&")) {
      // A service: the relay is on once it says ready; every other one (tail says nothing) once
      // its subscription is on the relay, so nothing published next is missed.
      if (/ herald relay\b/.test(command.line)) {
        await until(() => (shell.output().match(/ready/g) ?? []).length > readyBefore, `${where}: ready`, 30_000);
        relayUp = true;
      } else await until(async () => (await subscribers()) > subscribersBefore, `${where}: subscribed`, 30_000);
    }
    for (const line of command.printed) expect(printed, where).toMatch(shownAs(line));
    for (const line of command.onTheBus) {
      await until(() => shownAs(line).test(shell.output()), `${where}: on the bus`, 30_000).catch(() => {});
      expect(shell.output(), `${where}: on the bus: ${shell.output().slice(-2500)}`).toMatch(shownAs(line));
    }
  }
  // What steps 9 and 10 set up really reacted to the tag published in step 9.
  expect(JSON.parse(readFileSync(join(dir, "tour", "last-tag.json"), "utf8"))).toMatchObject({
    data: { tag: "v1.1" },
  });
  // No service died on the way.
  expect(shell.output()).not.toMatch(/this is a bug|Error: |\n\s+at /);
  // The services write to the same terminal: the count is picked out by its label.
  const exported = await shell.run('echo "stored=$(npx herald store export | wc -l)"');
  shell.stop();
  return Number(/stored=(\d+)/.exec(exported.printed)?.[1]);
}

describe("the README's tour", () => {
  it("runs as written, step by step, and prints what it says; a second tour in another folder has only its own state", async () => {
    const first = await walkTour();
    expect(first).toBeGreaterThan(0);
    // The same tour again, in a new folder with new keys, the same $XDG_STATE_HOME: its store,
    // journal and spool live in its own state_dir, so it holds only its own messages (step 8's
    // `store export | verify` would fail on the first tour's, signed by keys it does not trust).
    expect(await walkTour()).toBe(first);
  }, 480_000);
});
