import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogue } from "@herald/schemas";
import { createEnvelope } from "@herald/sdk";
import { runHerald } from "@herald/test-support";
import { describe, expect, it } from "vitest";

const envelope = (name: string, data: object, version = "1.0") =>
  JSON.stringify(
    createEnvelope({ topic: `org.example.prod.${name}`, data: data as never, dataschema: `herald:${name}/${version}` }),
  );

describe("herald validate", () => {
  it("flags exactly the invalid envelopes, with the JSON path and the reason", async () => {
    const valid = catalogue.map((topic) => envelope(topic.name, topic.examples[0] as object, topic.version));
    const lines = [
      ...valid,
      envelope("wiki.article.edit", { title: "x", user: "bob", revision: 0, minor: false, url: "https://w/x" }),
      envelope("logger.log", { text: "hi" }, "4.0"),
      "{not json",
      JSON.stringify({ ...JSON.parse(valid[0] as string), dataschema: undefined }),
      // What a relay refuses, validate refuses: a key twice (two parsers could read two values).
      (valid[0] as string).replace(/^\{/, '{"data":{},'),
    ];
    const result = await runHerald(["validate", "-"], { input: lines.join("\n") });
    expect(result.stdout.trim().split("\n")).toEqual([
      ...valid.map(() => "ok"),
      "invalid $.data.revision must be >= 1",
      "invalid $.dataschema unknown-version herald:logger.log/4.0",
      expect.stringMatching(/^invalid \$ not valid JSON: \S/),
      "invalid $.dataschema missing",
      'invalid $ refused: duplicate-key: "data" twice at /',
    ]);
    const first = valid.length + 1;
    expect([result.code, result.stderr]).toEqual([
      1,
      `herald: 5 of ${valid.length + 5} messages are invalid (lines ${first}, ${first + 1}, ${first + 2}, ${first + 3}, ${first + 4})\n`,
    ]);
  });

  it("lists every problem, and with --json names each line's number and id", async () => {
    const twoProblems = envelope("wiki.article.edit", {
      title: "",
      user: "bob",
      revision: 0,
      minor: "no",
      url: "https://w/x",
    });
    const lines = [envelope("logger.log", { text: "hi" }), twoProblems, "[1]"];
    const text = await runHerald(["validate", "-"], { input: lines.join("\n") });
    expect(text.stdout.split("\n")[1]).toBe(
      "invalid $.data.title must NOT have fewer than 1 characters; $.data.revision must be >= 1; $.data.minor must be boolean",
    );
    const json = await runHerald(["validate", "--json", "-"], { input: lines.join("\n") });
    expect(json.code).toBe(1);
    const reports = json.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(reports[0]).toEqual({
      line: 1,
      id: JSON.parse(lines[0] as string).id,
      dataschema: "herald:logger.log/1.0",
      valid: true,
    });
    expect(reports[1]).toEqual({
      line: 2,
      id: JSON.parse(twoProblems).id,
      dataschema: "herald:wiki.article.edit/1.0",
      valid: false,
      errors: [
        { path: "$.data.title", rule: "minLength", message: "must NOT have fewer than 1 characters" },
        { path: "$.data.revision", rule: "minimum", message: "must be >= 1" },
        { path: "$.data.minor", rule: "type", message: "must be boolean" },
      ],
    });
    expect(reports[2]).toEqual({
      line: 3,
      valid: false,
      errors: [{ path: "$", rule: "envelope", message: "not an envelope" }],
    });
    const missing = await runHerald(["validate", "no-such-file.ndjson"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^herald: cannot read .*no-such-file\.ndjson: ENOENT\n$/);
  });

  it("validates against a folder of JSON Schema files, reading a file argument", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-validate-"));
    mkdirSync(join(dir, "shop.order.place"));
    writeFileSync(
      join(dir, "shop.order.place", "1.0.json"),
      JSON.stringify({ type: "object", properties: { id: { type: "integer" } }, required: ["id"] }),
    );
    writeFileSync(
      join(dir, "orders.ndjson"),
      `${envelope("shop.order.place", { id: 1 })}\n${envelope("shop.order.place", { id: "1" })}\n`,
    );
    const result = await runHerald(["validate", "--schemas", dir, join(dir, "orders.ndjson")]);
    expect([result.code, result.stdout]).toEqual([1, "ok\ninvalid $.data.id must be integer\n"]);
    const missing = await runHerald(["validate", join(dir, "nope.ndjson")]);
    expect([missing.code, missing.stderr]).toEqual([2, `herald: cannot read ${join(dir, "nope.ndjson")}: ENOENT\n`]);
  });
});

describe("herald codegen", () => {
  it("writes types from a fresh schema folder, and --check catches a stale file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-codegen-"));
    mkdirSync(join(dir, "schemas", "shop.order.place"), { recursive: true });
    const schema = { type: "object", properties: { id: { type: "integer" } }, required: ["id"] };
    writeFileSync(join(dir, "schemas", "shop.order.place", "1.0.json"), JSON.stringify(schema));
    const out = join(dir, "topics.ts");
    const written = await runHerald(["codegen", "--schemas", join(dir, "schemas"), "--out", out]);
    expect(written.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("export interface ShopOrderPlaceV1 {\n  id: number;\n}");
    expect((await runHerald(["codegen", "--schemas", join(dir, "schemas"), "--out", out, "--check"])).code).toBe(0);

    writeFileSync(
      join(dir, "schemas", "shop.order.place", "1.1.json"),
      JSON.stringify({ ...schema, properties: { id: { type: "integer" }, note: { type: "string" } } }),
    );
    const stale = await runHerald(["codegen", "--schemas", join(dir, "schemas"), "--out", out, "--check"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/topics\.ts is stale: run herald codegen/);
  });
});
