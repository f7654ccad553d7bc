import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCleanup, runHerald, startHerald, startTestBus, until } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

async function publishTag(config: string, username: string, tag: string) {
  const data = { repo: "herald", tag, rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username };
  const result = await runHerald([
    "publish",
    "--config",
    config,
    "--topic",
    "git.tag.create",
    "--data",
    JSON.stringify(data),
  ]);
  expect(result.code).toBe(0);
}

describe("herald notify", () => {
  it("hands a matching message to the desktop's notify-send, arguments passed as they are", async () => {
    const bus = await startTestBus({ keyid: "git.desktop01" });
    cleanup.add(() => bus.relay?.stop());
    // notify-send as the desktop has it, recording its arguments (no notification daemon runs in CI).
    const bin = join(bus.dir, "bin");
    mkdirSync(bin);
    const calls = join(bus.dir, "calls.json");
    writeFileSync(
      join(bin, "notify-send"),
      `#!${process.execPath}\nrequire("node:fs").appendFileSync(${JSON.stringify(calls)}, JSON.stringify(process.argv.slice(2)) + "\\n");\n`,
    );
    chmodSync(join(bin, "notify-send"), 0o755);
    const notify = startHerald(["notify", "--config", bus.config, "--about", "alice"], {
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    cleanup.add(() => notify.stop());
    await notify.waitFor(/ready: 1 rule/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await publishTag(bus.config, "bob", "v1");
    await publishTag(bus.config, "alice", "v2; $(reboot)");
    await until(() => existsSync(calls), "notify-send to be run");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const runs = readFileSync(calls, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as string[]);
    expect(runs).toEqual([
      [
        "--app-name=Herald",
        "--urgency=normal",
        "--icon=tag",
        "Herald: git.tag.create",
        "alice tagged herald v2; $(reboot)",
      ],
    ]);
  }, 60_000);

  it("prints notifications when the desktop has no notification service", async () => {
    const bus = await startTestBus({ keyid: "git.desktop02" });
    cleanup.add(() => bus.relay?.stop());
    const notify = startHerald(["notify", "--config", bus.config, "--topic", "git.tag.#"], {
      env: { PATH: "/nonexistent" },
    });
    cleanup.add(() => notify.stop());
    await notify.waitFor(/ready/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await publishTag(bus.config, "carol", "v3");
    await notify.waitFor(/carol tagged herald v3/);
    expect(notify.output().stderr).toContain("no desktop notification service (notify-send): printing instead");
  }, 60_000);
});
