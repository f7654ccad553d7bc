import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHerald } from "@herald/test-support";
import { describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "herald-schema-"));
const write = (name: string, schema: object) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(schema));
  return file;
};

describe("herald schema", () => {
  it("lists the catalogue, as a table and as JSON", async () => {
    const table = await runHerald(["schema", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^git\.receive\s+1\.0\s+A commit arrived/m);
    const json = JSON.parse((await runHerald(["schema", "list", "--json"])).stdout) as { name: string }[];
    expect(json).toHaveLength(21);
  });

  it("shows one version's JSON Schema, and says which versions exist when asked for a missing one", async () => {
    const shown = await runHerald(["schema", "show", "wiki.article.edit@1.0"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      $id: "herald:wiki.article.edit/1.0",
      required: ["title", "user", "revision", "minor", "url"],
    });
    const missing = await runHerald(["schema", "show", "wiki.article.edit@7.0"]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      "herald: wiki.article.edit has no version 7.0; it has 1.0, 1.1\n",
    ]);
  });

  it("diffs two schemas it has never seen, with a verdict in the exit code", async () => {
    const before = write("old.json", {
      type: "object",
      properties: { id: { type: "string" }, tags: { type: "array", items: { enum: ["a", "b"] } } },
      required: ["id"],
    });
    const optional = write("optional.json", {
      type: "object",
      properties: {
        id: { type: "string" },
        note: { type: "string" },
        tags: { type: "array", items: { enum: ["a", "b"] } },
      },
      required: ["id"],
    });
    const narrowed = write("narrowed.json", {
      type: "object",
      properties: { id: { type: "integer" }, tags: { type: "array", items: { enum: ["a"] } } },
      required: ["id"],
    });

    const allowed = await runHerald(["schema", "diff", before, optional, "--json"]);
    expect([allowed.code, JSON.parse(allowed.stdout)]).toEqual([
      0,
      { compatible: true, changes: [{ path: "$.note", rule: "property-added-optional", breaking: false }] },
    ]);
    const breaking = await runHerald(["schema", "diff", before, narrowed, "--json"]);
    expect(breaking.code).toBe(1);
    expect(JSON.parse(breaking.stdout)).toEqual({
      compatible: false,
      changes: [
        { path: "$.id", rule: "type-changed", breaking: true },
        { path: "$.tags[]", rule: "enum-narrowed", breaking: true },
      ],
    });
    const text = await runHerald(["schema", "diff", before, narrowed]);
    expect(text.stdout).toContain("breaking  $.id  type-changed: string → integer");
  });

  it("checks the registry against this repository's history", async () => {
    const result = await runHerald(["schema", "check", "--against", "HEAD"]);
    expect([result.code, result.stdout]).toEqual([
      0,
      "ok: 22 schema versions in the built-in catalogue, none released at HEAD changed\n",
    ]);
    const badRef = await runHerald(["schema", "check", "--against", "no-such-ref"]);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/^herald: cannot read the built-in catalogue at no-such-ref/);
  });
});
