import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatedBanner, generateTypes, typeNameOf } from "./generate-types.js";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** Schemas this generator has never seen, including a second major and a newer minor. */
const schemas = [
  {
    name: "shop.order.place",
    version: "1.0",
    document: {
      $id: "herald:shop.order.place/1.0",
      title: "shop.order.place 1.0",
      type: "object",
      properties: {
        order_id: { type: "string" },
        total: { type: "number" },
        lines: { type: "array", items: { type: "object", properties: { sku: { type: "string" } }, required: ["sku"] } },
      },
      required: ["order_id", "total", "lines"],
    },
  },
  {
    name: "shop.order.place",
    version: "1.1",
    document: {
      type: "object",
      properties: {
        order_id: { type: "string" },
        total: { type: "number" },
        coupon: { type: "string" },
        tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 3 },
        lines: { type: "array", items: { type: "object", properties: { sku: { type: "string" } }, required: ["sku"] } },
      },
      required: ["order_id", "total", "lines"],
    },
  },
  {
    name: "shop.order.place",
    version: "2.0",
    document: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] },
  },
  {
    name: "shop.cart-item.drop",
    version: "1.0",
    document: { type: "object", properties: { sku: { type: "string", enum: ["a", "b"] } }, required: ["sku"] },
  },
];

/** Type-checks several files in one tsc run (starting tsc is the slow part); returns each file's errors. */
function typecheck(files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "herald-codegen-"));
  for (const [name, code] of Object.entries(files)) writeFileSync(join(dir, `${name}.ts`), code);
  const paths = Object.keys(files).map((name) => join(dir, `${name}.ts`));
  let output = "";
  try {
    execFileSync(
      process.execPath,
      [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", ...paths],
      { encoding: "utf8" },
    );
  } catch (error) {
    output = String((error as { stdout?: string }).stdout);
  }
  return Object.fromEntries(
    Object.keys(files).map((name) => [
      name,
      output
        .split("\n")
        .filter((line) => line.includes(`${name}.ts(`))
        .join("\n"),
    ]),
  );
}

describe("generateTypes", () => {
  it("names types by schema and major", () => {
    expect(typeNameOf("wiki.article.edit", 1)).toBe("WikiArticleEditV1");
    expect(typeNameOf("mirror.master.out_of_sync", 2)).toBe("MirrorMasterOutOfSyncV2");
  });

  it("writes types that accept a correct object and reject typos and wrong types under tsc", {
    timeout: 120_000,
  }, async () => {
    const source = await generateTypes(schemas);
    expect(source.startsWith(generatedBanner)).toBe(true);
    expect(source).not.toMatch(/\[k: string\]: unknown/);
    const errors = typecheck({
      good: `${source}
const v1: ShopOrderPlaceV1 = { order_id: "o1", total: 9.5, coupon: "XMAS", lines: [{ sku: "a" }] };
const v2: TopicMap["shop.order.place"] = { id: 7 };
const drop: TopicMap["shop.cart-item.drop"] = { sku: "b" };
// A publisher moving between majors names the one it emits.
const old: TopicMap["shop.order.place@1"] = { order_id: "o2", total: 1, lines: [], tags: ["a", "b"] };
const next: TopicMap["shop.order.place@2"] = { id: 8 };
// minItems and maxItems are checked at run time, not turned into tuple types.
const many: ShopOrderPlaceV1["tags"] = ["a", "b", "c", "d"];
export { v1, v2, drop, old, next, many };
`,
      oldMajor: `${source}\nexport const bad: TopicMap["shop.order.place@1"] = { id: 7 };\n`,
      typo: `${source}\nexport const bad: ShopOrderPlaceV1 = { order_id: "o1", totl: 9.5, lines: [] };\n`,
      wrongType: `${source}\nexport const bad: ShopCartItemDropV1 = { sku: "c" };\n`,
    });
    expect(errors.good).toBe("");
    expect(errors.oldMajor).toMatch(/'id' does not exist/);
    expect(errors.typo).toMatch(/'totl' does not exist/);
    expect(errors.wrongType).toMatch(/Type '"c"' is not assignable/);
  });

  it("writes a file that compiles under tsc --strict for topic names drawn from the whole grammar", {
    timeout: 180_000,
  }, async () => {
    // Tokens with digits inside and first, `_`, `-`, one letter, keywords, names that read alike.
    const token = fc.oneof(
      fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,5}$/),
      fc.stringMatching(/^[ab1][ab1_-]{0,2}$/),
      fc.constantFrom("class", "delete", "new", "enum", "type", "default", "a", "s3bucket", "ipv6addr", "h264"),
    );
    const entry = fc.record({
      name: fc.array(token, { minLength: 2, maxLength: 4 }).map((tokens) => tokens.join(".")),
      major: fc.integer({ min: 1, max: 2 }),
    });
    // A fixed seed: the same batches on every machine, every day.
    const batches = fc.sample(
      fc.uniqueArray(entry, { minLength: 20, maxLength: 40, selector: (e) => `${e.name}@${e.major}` }),
      {
        seed: 20261207,
        numRuns: 4,
      },
    );
    batches.push(
      [
        "zz01df.thing.made",
        "zz01dF.thing.made",
        "a_b.c",
        "a.b_c",
        "a.b.c",
        "a-b.c",
        "s3bucket.put",
        "s3.bucket.put",
      ].map((name) => ({ name, major: 1 })),
    );
    const files: Record<string, string> = {};
    for (const [index, entries] of batches.entries()) {
      const source = await generateTypes(
        entries.map(({ name, major }) => ({
          name: name.toLowerCase(),
          version: `${major}.0`,
          document: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
        })),
      );
      // Every entry of the TopicMap names a declared type: using them all must type-check.
      files[`batch${index}`] =
        `${source}\nexport const all: { [K in keyof TopicMap]: TopicMap[K] }[keyof TopicMap] = { n: 1 };\n`;
    }
    const errors = typecheck(files);
    for (const name of Object.keys(files)) expect([name, errors[name]]).toEqual([name, ""]);
  });
});
