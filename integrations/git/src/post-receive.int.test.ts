import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSchemaRegistry } from "@herald/schemas";
import { createBus, loadTrustFile } from "@herald/sdk";
import { createCleanup, createCollector, heraldBin, runHerald, startTestBus } from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterEach(() => cleanup.run());

const git = (cwd: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });

/** A bare repository with the hook installed (over an existing hook), a clone, and a bus without its relay. */
async function setup() {
  const testBus = await startTestBus({ keyid: "git.pkgs01", relay: false });
  cleanup.add(() => testBus.relay?.stop("SIGKILL"));
  const { dir, config } = testBus;
  const repo = join(dir, "herald.git");
  git(dir, ["init", "-q", "--bare", repo]);
  writeFileSync(join(repo, "hooks", "post-receive"), '#!/bin/sh\ncat >> "$(dirname "$0")/../chained-input"\n', {
    mode: 0o755,
  });
  const installed = await runHerald([
    "integrations",
    "install",
    "git",
    repo,
    "--config",
    config,
    "--herald",
    heraldBin,
  ]);
  expect(installed.code, installed.stderr).toBe(0);
  const work = join(dir, "work");
  git(dir, ["clone", "-q", repo, work]);
  git(work, ["config", "user.email", "alice@example.org"]);
  git(work, ["config", "user.name", "Alice Liddell"]);
  const bus = createBus({
    transport: await createZeroMqTransport({ connect: [testBus.outbound] }),
    trust: loadTrustFile(testBus.trustFile),
    schemas: createSchemaRegistry(),
  });
  cleanup.add(() => bus.close());
  const take = createCollector(await bus.subscribe(["org.example.#"]));
  /**
   * Starts the relay and, unless messages wait in the spool, makes sure this subscriber has joined
   * its PUB socket (what is published before that is dropped, as ZeroMQ does): a probe is
   * published until one arrives, which on a loaded machine can take more than a moment.
   */
  const probeData = JSON.stringify({
    repo: "probe",
    tag: "probe",
    rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    username: "probe",
  });
  const startRelay = async ({ probe = true } = {}) => {
    const relay = await testBus.startRelay(["--spool"]);
    for (let tries = 0; probe; tries++) {
      const sent = await runHerald(["publish", "--config", config, "--topic", "git.tag.create", "--data", probeData]);
      expect(sent.code, sent.stderr).toBe(0);
      if ((await take(1, 1000)).length === 1) break;
      if (tries >= 20) throw new Error("the subscriber never joined the relay");
    }
    return relay;
  };
  return { dir, repo, work, take, startRelay };
}

function commit(work: string, n: number) {
  writeFileSync(join(work, `file${n}.txt`), `${Array.from({ length: n }, (_, line) => `line ${line}`).join("\n")}\n`);
  git(work, ["add", "."]);
  git(work, ["commit", "-q", "-m", `Add file ${n}`, "-m", `Body of commit ${n}.`]);
}

const push = (work: string, args: string[], env: Record<string, string> = {}) =>
  git(work, ["push", "-q", "origin", ...args], { HERALD_PUSHER: "alice", ...env });

describe("the git post-receive hook, with real git pushes", () => {
  it("publishes exactly one valid, signed git.receive per pushed commit, with correct stats", async () => {
    const { repo, work, take, startRelay } = await setup();
    await startRelay();
    for (const n of [1, 2, 3, 4]) commit(work, n);
    push(work, ["HEAD:main"]);
    const messages = await take(10);
    expect(messages.map((message) => message.envelope.type)).toEqual([
      "org.example.dev.git.branch.create",
      ...Array(4).fill("org.example.dev.git.receive"),
      "org.example.dev.git.push.complete",
    ]);
    expect(messages.every((message) => message.outcome === "valid" && message.schema === "valid")).toBe(true);
    const receives = messages
      .filter((message) => message.envelope.type.endsWith("git.receive"))
      .map((message) => message.envelope.data.commit as Record<string, unknown>);
    expect(receives.map((data) => [data.summary, data.stats, data.username])).toEqual(
      [1, 2, 3, 4].map((n) => [
        `Add file ${n}`,
        {
          files: { [`file${n}.txt`]: { additions: n, deletions: 0 } },
          total: { additions: n, deletions: 0, files: 1 },
        },
        "alice",
      ]),
    );
    expect(receives[0]).toMatchObject({
      repo: "herald",
      branch: "main",
      author: { name: "Alice Liddell", email: "alice@example.org" },
      message: "Add file 1\n\nBody of commit 1.",
    });
    expect(readFileSync(join(repo, "chained-input"), "utf8")).toMatch(/^0{40} [0-9a-f]{40} refs\/heads\/main\n$/);
  });

  it("announces a commit that adds files named __proto__ and constructor like any other", async () => {
    const { work, take, startRelay } = await setup();
    await startRelay();
    writeFileSync(join(work, "__proto__"), "a\n");
    writeFileSync(join(work, "constructor"), "b\nc\n");
    git(work, ["add", "."]);
    git(work, ["commit", "-q", "-m", "Odd names"]);
    push(work, ["HEAD:main"]);
    const messages = await take(3);
    expect(messages.map((message) => message.envelope.type.replace("org.example.dev.", ""))).toEqual([
      "git.branch.create",
      "git.receive",
      "git.push.complete",
    ]);
    const commit = messages[1]?.envelope.data.commit as { stats: { files: object; total: object } } | undefined;
    const stats = commit?.stats ?? { files: {}, total: {} };
    expect(Object.entries(stats.files)).toEqual([
      ["__proto__", { additions: 1, deletions: 0 }],
      ["constructor", { additions: 2, deletions: 0 }],
    ]);
    expect(stats.total).toEqual({ additions: 3, deletions: 0, files: 2 });
  });

  it("announces tags, deleted branches and force pushes", async () => {
    const { work, take, startRelay } = await setup();
    await startRelay();
    commit(work, 1);
    commit(work, 2);
    push(work, ["HEAD:main", "HEAD:topic"]);
    await take(10, 800);
    git(work, ["tag", "-a", "v1.0", "-m", "Release 1.0"]);
    push(work, ["v1.0"]);
    push(work, [":topic"]);
    git(work, ["reset", "-q", "--hard", "HEAD~1"]);
    commit(work, 3);
    push(work, ["+HEAD:main"]);
    const messages = await take(10);
    expect(messages.map((message) => message.envelope.type.replace("org.example.dev.", ""))).toEqual([
      "git.tag.create",
      "git.push.complete",
      "git.branch.delete",
      "git.push.complete",
      "git.receive",
      "git.push.complete",
    ]);
    expect(messages[0]?.envelope.data).toMatchObject({ tag: "v1.0", annotation: "Release 1.0" });
    expect(messages[5]?.envelope.data).toMatchObject({ commits: 1, refs: [{ ref: "refs/heads/main", forced: true }] });
  });

  it("caps a huge push with a summary instead of hanging", async () => {
    const { work, take, startRelay } = await setup();
    await startRelay();
    for (let n = 1; n <= 12; n++) commit(work, n);
    push(work, ["HEAD:main"], { HERALD_GIT_MAX_COMMITS: "5" });
    const messages = await take(20);
    expect(messages.filter((message) => message.envelope.type.endsWith("git.receive"))).toHaveLength(5);
    expect(messages.at(-1)?.envelope.data).toMatchObject({ commits: 12, published: 5, truncated: true });
  });

  it("never blocks a push when no relay runs: the messages wait in the spool and arrive once a relay starts", async () => {
    const { dir, work, take, startRelay } = await setup();
    commit(work, 1);
    commit(work, 2);
    const output = execFileSync("git", ["push", "origin", "HEAD:main"], {
      cwd: work,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, HERALD_PUSHER: "alice" },
    });
    expect(output).toBe("");
    expect(git(join(dir, "herald.git"), ["rev-parse", "main"]).trim()).toBe(git(work, ["rev-parse", "HEAD"]).trim());
    expect(readdirSync(join(dir, "spool")).filter((name) => name.endsWith(".json"))).toHaveLength(4);
    await startRelay({ probe: false });
    const messages = await take(4, 5000);
    expect(messages.map((message) => message.envelope.type.replace("org.example.dev.", ""))).toEqual([
      "git.branch.create",
      "git.receive",
      "git.receive",
      "git.push.complete",
    ]);
    expect(readdirSync(join(dir, "spool")).filter((name) => name.endsWith(".json"))).toHaveLength(0);
  });
  it("refuses at install time a configuration that is missing or cannot sign, and a herald it cannot find", async () => {
    const { dir } = await startTestBus({ keyid: "git.pkgs02", relay: false });
    const repo = join(dir, "refused.git");
    git(dir, ["init", "-q", "--bare", repo]);
    const install = (...args: string[]) => runHerald(["integrations", "install", "git", repo, ...args]);
    const missing = await install("--config", join(dir, "missing.toml"), "--herald", heraldBin);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `herald: cannot read ${join(dir, "missing.toml")}: ENOENT (the hook would publish nothing)\n`,
    ]);
    writeFileSync(join(dir, "keyless.toml"), 'relays = ["tcp://127.0.0.1:9"]\n');
    const keyless = await install("--config", join(dir, "keyless.toml"), "--herald", heraldBin);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/keyless\.toml has no key_file and key_id: the hook signs what it publishes/);
    writeFileSync(join(dir, "badkey.toml"), 'key_file = "nope.pem"\nkey_id = "git.pkgs02"\n');
    const badKey = await install("--config", join(dir, "badkey.toml"), "--herald", heraldBin);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/badkey\.toml: key_file cannot sign: /);
    const noHerald = await install("--config", join(dir, "herald.toml"), "--herald", "no-such-herald");
    expect([noHerald.code, noHerald.stderr]).toEqual([
      2,
      "herald: no-such-herald is not on PATH, so the hook could not run it: install it (npm install -g @herald/cli) or pass --herald /path/to/herald\n",
    ]);
    expect(readdirSync(join(repo, "hooks")).filter((name) => name === "post-receive")).toEqual([]);
    // On PATH by name: the hook runs `herald` from its PATH, never this checkout's path.
    const bin = join(dir, "bin");
    execFileSync("mkdir", ["-p", bin]);
    execFileSync("ln", ["-s", heraldBin, join(bin, "herald")]);
    const byName = await runHerald(["integrations", "install", "git", repo, "--config", join(dir, "herald.toml")], {
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    expect([byName.code, byName.stdout]).toEqual([
      0,
      `installed ${join(repo, "hooks", "post-receive")} (runs herald)\n`,
    ]);
    const hook = readFileSync(join(repo, "hooks", "post-receive"), "utf8");
    expect(hook).toContain("| 'herald' git-hook post-receive");
    expect(hook).not.toContain("packages/cli");
  });
});
