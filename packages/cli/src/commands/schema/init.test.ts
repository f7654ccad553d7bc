import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runInProcess } from "../../_test-io.js";

// The scaffold builds with Node and TypeBox alone: TypeBox is linked from this repository's
// node_modules instead of installed, so the test needs no network.
const typebox = join(dirname(createRequire(import.meta.url).resolve("@sinclair/typebox")), "..", "..");

describe("herald schema init", () => {
  it("writes a schema package whose build, types, tests and released-version check work as written", async () => {
    const work = mkdtempSync(join(tmpdir(), "herald-init-"));
    const init = await runInProcess(["schema", "init", "shop"], { cwd: work });
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^wrote 7 files to shop-schemas: a schema package for shop's topics\n/);
    const dir = join(work, "shop-schemas");
    for (const file of ["package.json", "src/shop.item.created/1.0.js", ".github/workflows/schemas.yml", "README.md"])
      expect(existsSync(join(dir, file))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(manifest.herald).toEqual({ schemas: "json" });
    expect(readFileSync(join(dir, ".github/workflows/schemas.yml"), "utf8")).toContain(
      "herald schema check --schemas json --against origin/",
    );
    mkdirSync(join(dir, "node_modules", "@sinclair"), { recursive: true });
    symlinkSync(typebox, join(dir, "node_modules", "@sinclair", "typebox"));

    // npm run build: JSON from the TypeBox source, then the types.
    execFileSync(process.execPath, ["scripts/build-json.js"], { cwd: dir });
    const released = JSON.parse(readFileSync(join(dir, "json/shop.item.created/1.0.json"), "utf8"));
    expect(released).toMatchObject({ $id: "herald:shop.item.created/1.0", required: ["item", "username"] });
    const codegen = await runInProcess(["codegen", "--schemas", "json", "--out", "types/index.d.ts"], { cwd: dir });
    expect([codegen.code, codegen.stderr]).toEqual([0, ""]);
    expect(readFileSync(join(dir, "types/index.d.ts"), "utf8")).toContain('"shop.item.created@1": ShopItemCreatedV1;');

    // npm test: json/ current, types current, every example valid.
    execFileSync(process.execPath, ["scripts/build-json.js", "--check"], { cwd: dir });
    expect(
      (await runInProcess(["codegen", "--schemas", "json", "--out", "types/index.d.ts", "--check"], { cwd: dir })).code,
    ).toBe(0);
    const checked = await runInProcess(["schema", "check", "--schemas", "json"], { cwd: dir });
    expect([checked.code, checked.stdout]).toEqual([0, "ok: 1 schema versions in json\n"]);

    // Released, then edited in its source: the build check and the CI step go red.
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
    git("init", "-q");
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "release shop.item.created 1.0");
    const source = join(dir, "src/shop.item.created/1.0.js");
    writeFileSync(
      source,
      readFileSync(source, "utf8").replace(
        'minLength: 1, description: "the item',
        'minLength: 3, description: "the item',
      ),
    );
    expect(() =>
      execFileSync(process.execPath, ["scripts/build-json.js", "--check"], { cwd: dir, stdio: "pipe" }),
    ).toThrow(/json\/shop\.item\.created\/1\.0\.json: differs from its source/);
    execFileSync(process.execPath, ["scripts/build-json.js"], { cwd: dir });
    const red = await runInProcess(["schema", "check", "--schemas", "json", "--against", "HEAD"], { cwd: dir });
    expect(red.code).toBe(1);
    expect(red.stderr).toContain(
      "json/shop.item.created/1.0.json: released at HEAD but edited: add a new version instead",
    );
    // Committed: the tip now holds the edit, so only the history shows it.
    const first = git("rev-parse", "HEAD").toString().trim();
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "tighten the item 1.0");
    const tip = await runInProcess(["schema", "check", "--schemas", "json", "--against", "HEAD"], { cwd: dir });
    expect(tip.stderr).not.toContain("released");
    const history = await runInProcess(["schema", "check", "--schemas", "json", "--each-commit-since", first], {
      cwd: dir,
    });
    expect(history.code).toBe(1);
    expect(history.stderr).toMatch(
      /^json\/shop\.item\.created\/1\.0\.json: released before [0-9a-f]{7,} and edited by it \("tighten the item 1\.0"\): add a new version instead$/m,
    );

    const again = await runInProcess(["schema", "init", "shop"], { cwd: work });
    expect([again.code, again.stderr]).toEqual([2, "herald: shop-schemas is not empty: give --dir a new folder\n"]);
    const bad = await runInProcess(["schema", "init", "Shop Inc"], { cwd: work });
    expect(bad.code).toBe(2);
  });
});
