import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadVectors, runHerald } from "@herald/test-support";
import { describe, expect, it } from "vitest";

const vectors = loadVectors();
const dir = mkdtempSync(join(tmpdir(), "herald-cli-"));
const trustFile = join(dir, "trust.json");
writeFileSync(trustFile, JSON.stringify(vectors.trust));
const keyFile = join(dir, "git.pkgs01.pem");
writeFileSync(keyFile, vectors.keys["git.pkgs01"]!.pkcs8Pem);

describe("herald verify", () => {
  it("prints the expected outcome word of every vector and exits 1 when some are not valid", async () => {
    const input = vectors.verification.map((vector) => JSON.stringify(vector.envelope)).join("\n");
    const result = await runHerald(["verify", "--trust", trustFile], { input });
    expect(result.stdout.trim().split("\n")).toEqual(vectors.verification.map((vector) => vector.expect));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/herald: \d+ of 23 messages are not valid/);
  });

  it("exits 0 when every line is valid, and calls a line that is not JSON malformed", async () => {
    const valid = vectors.verification.filter((vector) => vector.expect === "valid");
    const ok = await runHerald(["verify", "--trust", trustFile], {
      input: valid.map((v) => JSON.stringify(v.envelope)).join("\n"),
    });
    expect([ok.code, ok.stdout]).toEqual([0, "valid\nvalid\nvalid\nvalid\n"]);
    const garbage = await runHerald(["verify", "--trust", trustFile], { input: "{oops\n" });
    expect([garbage.code, garbage.stdout]).toEqual([1, "malformed\n"]);
    // A valid vector with a second "type": one parser would see the signed type, another this one.
    const text = JSON.stringify(valid[0]?.envelope);
    const twice = text.replace('"type":', '"type":"org.example.prod.logger.log","type":');
    const duplicated = await runHerald(["verify", "--trust", trustFile], { input: `${twice}\n` });
    expect([duplicated.code, duplicated.stdout]).toEqual([1, "malformed\n"]);
  });

  it("warns about an envelope a CloudEvents SDK would rewrite, and with --canonical counts it as not valid", async () => {
    const valid = vectors.verification.filter((vector) => vector.expect === "valid");
    const input = valid.map((v) => JSON.stringify(v.envelope)).join("\n");
    const envelopes = valid.map((vector) => vector.envelope as { time: string; id: string });
    const line = envelopes.findIndex((envelope) => envelope.time === "2025-06-01T00:00:00Z") + 1;
    const id = envelopes[line - 1]!.id;
    const warned = await runHerald(["verify", "--trust", trustFile], { input });
    expect([warned.code, warned.stdout]).toEqual([0, "valid\nvalid\nvalid\nvalid\n"]);
    expect(warned.stderr).toBe(
      `herald verify: warning: line ${line} (id ${id}) is not canonical: time "2025-06-01T00:00:00Z" is not RFC 3339 UTC with milliseconds (2025-06-01T00:00:00.000Z)\n`,
    );
    const strict = await runHerald(["verify", "--canonical", "--trust", trustFile], { input });
    expect(strict.code).toBe(1);
    expect(strict.stdout.split("\n")[line - 1]).toBe("not-canonical");
  });

  it("says in one line that the trust file is missing", async () => {
    const result = await runHerald(["verify", "--trust", join(dir, "nope.json")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`herald: cannot read trust file ${join(dir, "nope.json")}: ENOENT\n`);
  });
});

describe("herald sign", () => {
  it("reproduces the signatures of the vectors byte for byte", async () => {
    const signing = vectors.signing.filter(
      (vector) => vector.privateKeySeedHex === vectors.keys["git.pkgs01"]!.seedHex,
    );
    const input = signing.map((vector) => JSON.stringify({ ...vector.envelope, sig: undefined })).join("\n");
    const result = await runHerald(["sign", "--key", keyFile, "--keyid", "git.pkgs01"], { input });
    expect(result.code).toBe(0);
    const signed = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { sig: string });
    expect(signed.map((envelope) => envelope.sig)).toEqual(signing.map((vector) => vector.sig));
  });

  it("reports a line that is not an envelope by number, signs the rest, and exits 1", async () => {
    const good = JSON.stringify(vectors.signing[0]!.envelope);
    const result = await runHerald(["sign", "--key", keyFile, "--keyid", "git.pkgs01"], {
      input: `${good}\n[1]\n{x\n${good.replace(/^\{/, '{"id":"x",')}\n`,
    });
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    // Signing what JSON.parse made of a key twice would sign a value the author may not have meant.
    expect(result.stderr).toContain('herald sign: line 4: refused: duplicate-key: "id" twice at /');
    expect(result.stderr).toContain("herald sign: line 2: not an envelope: not a JSON object");
    expect(result.stderr).toContain("herald sign: line 3: not valid JSON: ");
    expect(result.code).toBe(1);
  });
});
