import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signRegistration } from "@herald/schemas";
import { loadSigningKey } from "@herald/sdk";
import { type RunningProcess, runHerald, startHerald } from "@herald/test-support";
import { afterEach, describe, expect, it } from "vitest";

const running: RunningProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
});

describe("a poisoned schema cache", () => {
  it("does not keep the relay from starting: each bad entry is skipped with one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-poison-"));
    const trust = join(dir, "trust.json");
    await runHerald(["keygen", "shop.web01", "--dir", dir, "--trust", trust]);
    const key = loadSigningKey(join(dir, "shop.web01.pem"), "shop.web01");
    writeFileSync(
      join(dir, "herald.toml"),
      ['state_dir = "state"', 'trust_file = "trust.json"', 'schema_registry = "http://127.0.0.1:9/"'].join("\n"),
    );
    // What an earlier version cached, or another process of the user, or a hand: validly signed
    // registrations of schemas no consumer can compile or should run.
    const cache = join(dir, "state", "schema-cache", "127.0.0.1_9", "relay");
    const poison = {
      "shop.evil1": '{"type":5}',
      "shop.evil2": '{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}',
      "shop.evil3": `${'{"not":'.repeat(30_000)}{}${"}".repeat(30_000)}`,
      "shop.good": '{"type":"object","properties":{"order":{"type":"string"}}}',
    };
    for (const [name, schema] of Object.entries(poison)) {
      mkdirSync(join(cache, name), { recursive: true });
      writeFileSync(
        join(cache, name, "1.0.registration.json"),
        JSON.stringify(signRegistration({ name, version: "1.0", schema }, key)),
      );
    }
    const relay = startHerald(
      [
        "relay",
        "--config",
        join(dir, "herald.toml"),
        "--inbound",
        "tcp://127.0.0.1:0",
        "--outbound",
        "tcp://127.0.0.1:0",
        "--no-http",
      ],
      {
        cwd: dir,
      },
    );
    running.push(relay);
    await relay.waitFor(/ready/);
    const stderr = relay.output().stderr;
    for (const name of ["shop.evil1", "shop.evil2", "shop.evil3"])
      expect(stderr).toMatch(new RegExp(`ignoring .*${name.replace(".", "\\.")}.*1\\.0\\.registration\\.json`));
    expect(stderr).not.toMatch(/shop\.good/);
    expect(readFileSync(join(cache, "shop.good", "1.0.registration.json"), "utf8")).toContain("shop.good");
  });
});
