import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCleanup, publishWithHerald, startHerald, startTestBus, until } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

// The command a trigger runs here: records its HERALD_* variables and its stdin, one JSON line per run.
const recorder = `
import { appendFileSync, readFileSync } from "node:fs";
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith("HERALD_")));
appendFileSync(process.argv[2], JSON.stringify({ args: process.argv.slice(3), env, stdin: readFileSync(0, "utf8") }) + "\\n");
`;

interface Run {
  args: string[];
  env: Record<string, string>;
  stdin: string;
}

function runsIn(file: string): Run[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Run);
}

async function publishUser(config: string, data: object) {
  const result = await publishWithHerald(config, "account.user.create", data);
  expect(result.code).toBe(0);
}

describe("herald trigger", () => {
  it("runs the command with the envelope on stdin, so shell syntax in a message is only data", async () => {
    const bus = await startTestBus({ keyid: "account.trigger01" });
    cleanup.add(() => bus.relay?.stop());
    const script = join(bus.dir, "record.mjs");
    const out = join(bus.dir, "runs.jsonl");
    const canary = join(bus.dir, "canary");
    writeFileSync(script, recorder);
    const trigger = startHerald([
      "trigger",
      "--config",
      bus.config,
      "--topic",
      "org.example.*.account.#",
      "--count",
      "2",
      "--",
      process.execPath,
      script,
      out,
      "--not-a-herald-flag",
    ]);
    cleanup.add(() => trigger.stop());
    await trigger.waitFor(/ready/);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const hostile = [`'; rm -rf / #`, `$(touch ${canary}) \`touch ${canary}\` "; touch ${canary}; "`];
    for (const full_name of hostile) await publishUser(bus.config, { username: "mallory", full_name });
    await until(() => runsIn(out).length === 2, "two runs of the command");

    const runs = runsIn(out);
    expect(runs.map((run) => JSON.parse(run.stdin).data.full_name)).toEqual(hostile);
    expect(runs[0]?.args).toEqual(["--not-a-herald-flag"]);
    expect(runs[0]?.env).toMatchObject({
      HERALD_TOPIC: "org.example.dev.account.user.create",
      HERALD_EVENT: "account.user.create",
      HERALD_SIGNER: "account.trigger01",
      HERALD_OUTCOME: "valid",
      HERALD_COUNT: "1",
    });
    expect(runs[0]?.env.HERALD_ID).toBe(JSON.parse(runs[0]?.stdin ?? "{}").id);
    expect(existsSync(canary)).toBe(false);
    expect(await trigger.exited).toBe(0);
  }, 60_000);

  it("with --wait-for runs once for a burst, every envelope of it on stdin", async () => {
    const bus = await startTestBus({ keyid: "account.trigger02" });
    cleanup.add(() => bus.relay?.stop());
    const script = join(bus.dir, "record.mjs");
    const out = join(bus.dir, "runs.jsonl");
    writeFileSync(script, recorder);
    const trigger = startHerald([
      "trigger",
      "--config",
      bus.config,
      "--topic",
      "org.example.dev.account.user.create",
      "--wait-for",
      "1500",
      "--",
      process.execPath,
      script,
      out,
    ]);
    cleanup.add(() => trigger.stop());
    await trigger.waitFor(/ready/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const username of ["ann", "ben", "cat"]) await publishUser(bus.config, { username });
    await until(() => runsIn(out).length === 1, "one run for the burst");
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const runs = runsIn(out);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.env.HERALD_COUNT).toBe("3");
    const lines = runs[0]?.stdin.trim().split("\n") ?? [];
    expect(lines.map((line) => JSON.parse(line).data.username)).toEqual(["ann", "ben", "cat"]);
  }, 60_000);

  it("says clearly when the command cannot be started, and keeps running", async () => {
    const bus = await startTestBus({ keyid: "account.trigger03" });
    cleanup.add(() => bus.relay?.stop());
    const trigger = startHerald([
      "trigger",
      "--config",
      bus.config,
      "--topic",
      "#",
      "--count",
      "1",
      "--",
      "no-such-command-x",
    ]);
    cleanup.add(() => trigger.stop());
    await trigger.waitFor(/ready/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await publishUser(bus.config, { username: "dan" });
    await trigger.waitFor(/no-such-command-x: spawn no-such-command-x ENOENT/);
    expect(trigger.output().stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});

describe("herald trigger --topic", () => {
  it("warns when a pattern can match no topic under the prefix", async () => {
    const bus = await startTestBus({ keyid: "account.trigger04", relay: false });
    const trigger = startHerald(["trigger", "--config", bus.config, "--topic", "git.#", "--", "true"]);
    cleanup.add(() => trigger.stop());
    await trigger.waitFor(
      /--topic git\.# matches full topics, none of which starts with git: did you mean org\.example\.\*\.git\.#\?/,
    );
  });
});
