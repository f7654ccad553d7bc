import { lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHerald } from "@herald/test-support";
import { describe, expect, it } from "vitest";

const freshDir = () => mkdtempSync(join(tmpdir(), "herald-cli-"));

describe("herald keygen", () => {
  it("writes a private key readable only by its owner and a trust entry that verifies its signatures", async () => {
    const dir = freshDir();
    const result = await runHerald(["keygen", "wiki.web01", "--dir", "keys", "--trust", "trust.json", "--json"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { publicKey: string; keyFile: string };
    expect(statSync(printed.keyFile).mode & 0o777).toBe(0o600);
    const trust = JSON.parse(readFileSync(join(dir, "trust.json"), "utf8"));
    expect(trust.keys["wiki.web01"]).toEqual({ publicKey: printed.publicKey, topics: ["org.example.*.wiki.#"] });

    const envelope = {
      specversion: "1.0",
      id: "01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e5f",
      source: "/wiki/web01",
      type: "org.example.prod.wiki.article.edit",
      time: "2026-11-27T16:38:04.123Z",
      datacontenttype: "application/json",
      data: { title: "Main Page" },
    };
    const signed = await runHerald(["sign", "--key", printed.keyFile, "--keyid", "wiki.web01"], {
      input: JSON.stringify(envelope),
    });
    const verified = await runHerald(["verify", "--trust", join(dir, "trust.json")], { input: signed.stdout });
    expect(verified.stdout).toBe("valid\n");
  });

  it("refuses to overwrite a key and rejects a bad key id, each in one line", async () => {
    const dir = freshDir();
    await runHerald(["keygen", "git.a", "--dir", dir]);
    const again = await runHerald(["keygen", "git.a", "--dir", dir]);
    expect([again.code, again.stderr]).toEqual([
      2,
      `herald: ${join(dir, "git.a.pem")} exists; pass --force to overwrite it\n`,
    ]);
    const bad = await runHerald(["keygen", "Git A"]);
    expect([bad.code, bad.stderr.trim().split("\n").length]).toEqual([2, 1]);
  });

  it("writes a key 0600 with --force over a wider file, and replaces a symbolic link rather than following it", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "git.a.pem"), "old\n", { mode: 0o644 });
    expect((await runHerald(["keygen", "git.a", "--dir", dir, "--force"])).code).toBe(0);
    expect(statSync(join(dir, "git.a.pem")).mode & 0o777).toBe(0o600);
    const elsewhere = join(dir, "elsewhere.txt");
    writeFileSync(elsewhere, "not a key\n");
    symlinkSync(elsewhere, join(dir, "git.b.pem"));
    expect((await runHerald(["keygen", "git.b", "--dir", dir, "--force"])).code).toBe(0);
    expect(readFileSync(elsewhere, "utf8")).toBe("not a key\n");
    expect(lstatSync(join(dir, "git.b.pem")).isSymbolicLink()).toBe(false);
    expect(statSync(join(dir, "git.b.pem")).mode & 0o777).toBe(0o600);
  });
});

describe("herald config", () => {
  it("prints each value with where it came from", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "herald.toml"), 'prefix = "io.acme"\n');
    const result = await runHerald(["config", "--json"], {
      cwd: dir,
      env: { HERALD_ENVIRONMENT: "stg", HERALD_CONFIG: undefined },
    });
    const printed = JSON.parse(result.stdout);
    expect(printed.values).toMatchObject({ prefix: "io.acme", environment: "stg" });
    expect(printed.origins).toMatchObject({
      prefix: join(dir, "herald.toml"),
      environment: "env HERALD_ENVIRONMENT",
      relays: "default",
    });
  });

  it("runs as a process from its bin entry (every command's --help is tested in-process)", async () => {
    const result = await runHerald(["schema", "--help"]);
    expect([result.code, result.stdout.split("\n")[0]]).toEqual([0, "Usage: herald schema [options] [command]"]);
  });
});
