import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { floodPublisherScript } from "@herald/bench";
import { runHerald, runNode, startHerald, tcpAddress } from "@herald/test-support";
import { describe, expect, it } from "vitest";

describe("herald tail", () => {
  it("prints every genuine message from a separate process exactly as received and drops forged and garbage ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-tail-"));
    const trust = join(dir, "trust.json");
    await runHerald(["keygen", "git.pkgs01", "--dir", dir, "--trust", trust]);
    const address = await tcpAddress();
    const count = 2000;
    const tail = startHerald(["tail", "--connect", address, "--trust", trust, "--count", String(count), "--json"]);
    const publisher = await runNode(floodPublisherScript, [
      "--bind",
      address,
      "--count",
      String(count),
      "--forged",
      "50",
      "--garbage",
      "50",
      "--key",
      join(dir, "git.pkgs01.pem"),
      "--keyid",
      "git.pkgs01",
    ]);
    expect(publisher.code).toBe(0);
    expect(await tail.exited).toBe(0);
    const { stdout, stderr } = tail.output();
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(count);
    const numbers = lines.map((line) => (JSON.parse(line) as { data: { n: number; forged?: boolean } }).data);
    expect(numbers.map((data) => data.n)).toEqual([...Array(count).keys()]);
    expect(numbers.some((data) => data.forged)).toBe(false);

    const verified = await runHerald(["verify", "--trust", trust], { input: stdout });
    expect(verified.code).toBe(0);
    expect(stderr).toMatch(/since the start 250: .*bad-signature 50/);
    expect(stderr).toMatch(/topic-mismatch 50/);
    expect(stderr).toMatch(/malformed 150/);
  });

  it("refuses to run without a trust file unless told --insecure", async () => {
    const result = await runHerald(["tail", "--connect", "tcp://127.0.0.1:1"], { env: { HERALD_CONFIG: "/dev/null" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^herald: no trust file: pass --trust FILE/);
  });
});
