import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

function typecheck(code: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "herald-codegen-"));
  writeFileSync(join(dir, "use.ts"), code);
  try {
    execFileSync(
      process.execPath,
      [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", join(dir, "use.ts")],
      { encoding: "utf8" },
    );
    return { ok: true, output: "" };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  }
}

describe("generateTypes", () => {
  it("names types by schema and major", () => {
    expect(typeNameOf("wiki.article.edit", 1)).toBe("WikiArticleEditV1");
    expect(typeNameOf("mirror.master.out_of_sync", 2)).toBe("MirrorMasterOutOfSyncV2");
  });

  it("writes types that accept a correct object and reject typos and wrong types under tsc", async () => {
    const source = await generateTypes(schemas);
    expect(source.startsWith(generatedBanner)).toBe(true);
    expect(source).not.toMatch(/\[k: string\]: unknown/);
    const good = `${source}
const v1: ShopOrderPlaceV1 = { order_id: "o1", total: 9.5, coupon: "XMAS", lines: [{ sku: "a" }] };
const v2: TopicMap["shop.order.place"] = { id: 7 };
const drop: TopicMap["shop.cart-item.drop"] = { sku: "b" };
export { v1, v2, drop };
`;
    expect(typecheck(good)).toEqual({ ok: true, output: "" });
    const typo = typecheck(
      `${source}\nexport const bad: ShopOrderPlaceV1 = { order_id: "o1", totl: 9.5, lines: [] };\n`,
    );
    expect(typo.ok).toBe(false);
    expect(typo.output).toMatch(/'totl' does not exist/);
    const wrongType = typecheck(`${source}\nexport const bad: ShopCartItemDropV1 = { sku: "c" };\n`);
    expect(wrongType.ok).toBe(false);
  });
});
