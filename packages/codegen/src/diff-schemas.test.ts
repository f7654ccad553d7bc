import { describe, expect, it } from "vitest";
import { diffSchemas } from "./diff-schemas.js";

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "object",
  properties,
  required: Object.keys(properties).filter((name) => !name.endsWith("?")),
  ...extra,
});

// given two schemas, want the verdict and the rules of the changes found.
const cases: { name: string; old: object; new: object; compatible: boolean; rules: string[] }[] = [
  {
    name: "identical",
    old: object({ a: { type: "string" } }),
    new: object({ a: { type: "string" } }),
    compatible: true,
    rules: [],
  },
  {
    name: "optional property added to an open object",
    old: object({ a: { type: "string" } }),
    new: { ...object({ a: { type: "string" } }), properties: { a: { type: "string" }, b: { type: "integer" } } },
    compatible: true,
    rules: ["property-added-optional"],
  },
  {
    name: "optional property added to a closed object",
    old: object({ a: { type: "string" } }, { additionalProperties: false }),
    new: {
      ...object({ a: { type: "string" } }, { additionalProperties: false }),
      properties: { a: { type: "string" }, b: {} },
    },
    compatible: false,
    rules: ["property-added-optional"],
  },
  {
    name: "required property added",
    old: object({ a: { type: "string" } }),
    new: object({ a: { type: "string" }, b: { type: "string" } }),
    compatible: false,
    rules: ["property-added-required"],
  },
  {
    name: "property removed",
    old: object({ a: { type: "string" }, b: {} }),
    new: object({ a: { type: "string" } }),
    compatible: false,
    rules: ["property-removed"],
  },
  {
    name: "type changed",
    old: object({ a: { type: "string" } }),
    new: object({ a: { type: "integer" } }),
    compatible: false,
    rules: ["type-changed"],
  },
  {
    name: "enum widened",
    old: object({ s: { enum: ["ok", "failed"] } }),
    new: object({ s: { enum: ["ok", "failed", "cancelled"] } }),
    compatible: false,
    rules: ["enum-widened"],
  },
  {
    name: "enum narrowed",
    old: object({ s: { enum: ["ok", "failed"] } }),
    new: object({ s: { enum: ["ok"] } }),
    compatible: false,
    rules: ["enum-narrowed"],
  },
  {
    name: "bounds loosened",
    old: object({ n: { type: "integer", maximum: 10, minLength: 2 } }),
    new: object({ n: { type: "integer", maximum: 20, minLength: 1 } }),
    compatible: false,
    rules: ["bound-loosened", "bound-loosened"],
  },
  {
    name: "bound tightened",
    old: object({ n: { type: "integer", minimum: 0 } }),
    new: object({ n: { type: "integer", minimum: 1 } }),
    compatible: false,
    rules: ["bound-tightened"],
  },
  {
    name: "additionalProperties closed",
    old: object({ a: {} }),
    new: object({ a: {} }, { additionalProperties: false }),
    compatible: false,
    rules: ["additional-properties-closed"],
  },
  {
    name: "description changed (an annotation)",
    old: object({ a: { type: "string", description: "old" } }, { description: "x" }),
    new: object({ a: { type: "string", description: "new" } }, { description: "y", examples: [{ a: "z" }] }),
    compatible: true,
    rules: ["description-changed", "examples-changed", "description-changed"],
  },
  {
    name: "nested object's property type changed",
    old: object({ commit: object({ stats: object({ total: { type: "integer" } }) }) }),
    new: object({ commit: object({ stats: object({ total: { type: "string" } }) }) }),
    compatible: false,
    rules: ["type-changed"],
  },
  {
    name: "array items narrowed",
    old: object({ paths: { type: "array", items: { type: "string" } } }),
    new: object({ paths: { type: "array", items: { type: "string", pattern: "^/" } } }),
    compatible: false,
    rules: ["pattern-changed"],
  },
  {
    name: "optional field in array items added",
    old: object({ files: { type: "array", items: object({ path: { type: "string" } }) } }),
    new: object({
      files: {
        type: "array",
        items: {
          ...object({ path: { type: "string" } }),
          properties: { path: { type: "string" }, mode: { type: "string" } },
        },
      },
    }),
    compatible: true,
    rules: ["property-added-optional"],
  },
  {
    name: "property made optional",
    old: object({ a: { type: "string" } }),
    new: { ...object({ a: { type: "string" } }), required: [] },
    compatible: false,
    rules: ["property-made-optional"],
  },
];

describe("diffSchemas", () => {
  it.each(cases)("judges $name", (given) => {
    const diff = diffSchemas(given.old as Record<string, unknown>, given.new as Record<string, unknown>);
    expect(diff.compatible).toBe(given.compatible);
    expect(diff.changes.map((change) => change.rule)).toEqual(given.rules);
  });

  it("names the JSON path of a nested change", () => {
    const diff = diffSchemas(
      object({ commit: object({ files: { type: "array", items: object({ n: { type: "integer" } }) } }) }),
      object({ commit: object({ files: { type: "array", items: object({ n: { type: "number" } }) } }) }),
    );
    expect(diff.changes).toEqual([
      { path: "$.commit.files[].n", rule: "type-changed", breaking: true, detail: "integer → number" },
    ]);
  });
});
