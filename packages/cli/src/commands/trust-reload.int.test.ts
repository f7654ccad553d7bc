import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCleanup, runHerald, startHerald, startTestBus, until } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

const data = JSON.stringify({
  repo: "herald",
  tag: "v1",
  rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
  username: "bob",
});

describe("long-running commands follow their trust file", () => {
  it("a key added on disk is believed without a restart, a broken edit is ignored, a removal is seen, and SIGHUP reads the file at once", async () => {
    const bus = await startTestBus({ keyid: "git.pkgs01" });
    cleanup.add(() => bus.relay?.stop());
    const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
    cleanup.add(() => tail.stop());
    const before = readFileSync(bus.trustFile, "utf8");

    // A new key, made after the relay and tail started: the relay refuses it at first…
    // Its entry goes to a trust file of its own for now.
    const entryFile = join(bus.dir, "new-key.json");
    await runHerald(["keygen", "git.pkgs02", "--dir", bus.dir, "--trust", entryFile]);
    const publishAsNewKey = () =>
      runHerald([
        "publish",
        "--config",
        bus.config,
        "--key",
        join(bus.dir, "git.pkgs02.pem"),
        "--keyid",
        "git.pkgs02",
        "--topic",
        "git.tag.create",
        "--data",
        data,
      ]);
    const refused = await publishAsNewKey();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/unknown-key/);

    // …until it is added to the trust file: no restart, both log what changed.
    const trust = JSON.parse(before) as { keys: Record<string, unknown> };
    trust.keys["git.pkgs02"] = (JSON.parse(readFileSync(entryFile, "utf8")) as typeof trust).keys["git.pkgs02"];
    writeFileSync(bus.trustFile, JSON.stringify(trust, null, 2));
    await bus.relay!.waitFor(/trust file .* reloaded: 2 key\(s\); added git\.pkgs02; removed none/);
    await tail.waitFor(/reloaded: 2 key\(s\); added git\.pkgs02/);
    const accepted = await publishAsNewKey();
    expect(accepted.code, accepted.stderr).toBe(0);
    await until(() => tail.output().stdout.includes('"keyid":"git.pkgs02"'), "the new key's message in tail");

    // A broken edit is refused and the keys stay; the restored file is read again.
    writeFileSync(bus.trustFile, "{ not json");
    await tail.waitFor(/trust file not reloaded, the keys stay as they were/);
    writeFileSync(bus.trustFile, before);
    await tail.waitFor(/reloaded: 1 key\(s\); added none; removed git\.pkgs02/);
    // SIGHUP alone reads the file again, whether or not it changed.
    tail.child.kill("SIGHUP");
    await tail.waitFor(/reloaded: 1 key\(s\); added none; removed none; changed none/);
    expect(await tail.stop()).toBe(0);
  }, 60_000);
});
