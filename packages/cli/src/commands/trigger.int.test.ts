import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEnvelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import { createCleanup, publishWithHerald, startHerald, startTestBus, type TestBus, until } from "@herald/test-support";
import { createRelayClient } from "@herald/transport-zeromq";
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

/**
 * Publishes `account.user.create` for each name from this process, through one relay client: a
 * burst with no process start-up between its messages, however loaded the machine.
 */
async function publishBurst(bus: TestBus, keyid: string, usernames: string[]) {
  const key = loadSigningKey(bus.keyFile, keyid);
  const client = createRelayClient({ relays: [bus.inbound] });
  try {
    for (const username of usernames) {
      const envelope = createEnvelope({
        topic: "org.example.dev.account.user.create",
        dataschema: "herald:account.user.create/1.0",
        data: { username },
      });
      await client.send(signEnvelope(envelope, key));
    }
  } finally {
    await client.close();
  }
}

describe("herald trigger", () => {
  it("runs the command with the envelope on stdin, so shell syntax in a message is only data", async () => {
    const bus = await startTestBus({ keyid: "account.trigger01" });
    cleanup.add(() => bus.relay?.stop());
    const script = join(bus.dir, "record.mjs");
    const out = join(bus.dir, "runs.jsonl");
    const canary = join(bus.dir, "canary");
    writeFileSync(script, recorder);
    const trigger = await bus.joined(() =>
      startHerald([
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
      ]),
    );
    cleanup.add(() => trigger.stop());
    await trigger.waitFor(/ready/);

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
    const trigger = await bus.joined(() =>
      startHerald([
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
      ]),
    );
    cleanup.add(() => trigger.stop());
    await trigger.waitFor(/ready/);
    await publishBurst(bus, "account.trigger02", ["ann", "ben", "cat"]);
    await until(() => runsIn(out).length === 1, "one run for the burst");
    // A message after the run makes a run of its own: had the burst been split, the first run
    // would not hold all three, and the second would hold more than the late one.
    await publishBurst(bus, "account.trigger02", ["dee"]);
    await until(() => runsIn(out).length === 2, "a second run for the late message");
    const runs = runsIn(out);
    expect(runs.map((run) => run.env.HERALD_COUNT)).toEqual(["3", "1"]);
    const names = (run: Run | undefined) =>
      (run?.stdin.trim().split("\n") ?? []).map((line) => JSON.parse(line).data.username);
    expect(names(runs[0])).toEqual(["ann", "ben", "cat"]);
    expect(names(runs[1])).toEqual(["dee"]);
  }, 60_000);

  it("says clearly when the command cannot be started, and keeps running", async () => {
    const bus = await startTestBus({ keyid: "account.trigger03" });
    cleanup.add(() => bus.relay?.stop());
    const trigger = await bus.joined(() =>
      startHerald(["trigger", "--config", bus.config, "--topic", "#", "--count", "1", "--", "no-such-command-x"]),
    );
    cleanup.add(() => trigger.stop());
    await trigger.waitFor(/ready/);
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
