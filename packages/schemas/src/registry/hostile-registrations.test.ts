import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSchema } from "../compile-schema.js";
import { compilePresentation, presentData } from "../presentation/present-data.js";
import { admitSchemaDocument } from "./admit-schema-document.js";

// What a registrant may send, from a generator: schema-shaped documents built from JSON Schema's
// own keywords (with hostile values among them) and templates with any tags. Admission and
// rendering answer every one without throwing; an admitted schema checks any data without throwing.

const keyword = fc.constantFrom(
  "type",
  "properties",
  "items",
  "$ref",
  "$defs",
  "pattern",
  "patternProperties",
  "allOf",
  "anyOf",
  "not",
  "required",
  "enum",
  "const",
  "minLength",
  "$id",
  "additionalProperties",
);
const hostileValue = fc.oneof(
  fc.constantFrom(5, "string", "object", "#/$defs/a", "#", "https://evil.example/s.json", "^(a+)+$", "(a)\\1", "[", -1),
  fc.jsonValue({ maxDepth: 2 }),
);
const schemaLike = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    hostileValue,
    fc.dictionary(keyword, fc.oneof(hostileValue, tie("node")), { maxKeys: 5 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie("node"), { maxKeys: 3 }),
    fc.array(tie("node"), { maxLength: 3 }),
  ),
})).node;

describe("hostile registrations", () => {
  it("admission answers every generated schema, and what it admits checks any data without throwing", () => {
    fc.assert(
      fc.property(schemaLike, fc.jsonValue({ maxDepth: 3 }), (document, data) => {
        const admitted = admitSchemaDocument(JSON.stringify(document));
        if (!admitted.ok) {
          expect(admitted.reason.length).toBeGreaterThan(0);
          return;
        }
        const schema = compileSchema("herald:shop.x/1.0", admitted.document, { untrusted: true });
        expect(() => schema.check(data)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it("presentation templates with any tags compile or are refused, and render without throwing", () => {
    const tag = fc.oneof(
      fc.constantFrom(
        "{{/a}}",
        "{{/a/*}}",
        "{{/a/*/*}}",
        "{{#/a}}",
        "{{^/a}}",
        "{{end}}",
        "{{/a | count}}",
        '{{/a | join ", "}}',
      ),
      fc.string({ maxLength: 6 }),
    );
    const data = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constant({ a: Array.from({ length: 50_000 }, (_, n) => `s${n}`) }),
    );
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 40 }), data, (tags, value) => {
        let compiled: ReturnType<typeof compilePresentation>;
        try {
          compiled = compilePresentation({ summary: tags.join("") });
        } catch (error) {
          expect((error as Error).message.length).toBeGreaterThan(0);
          return;
        }
        const presented = presentData(compiled, value);
        expect(presented.summary.length).toBeLessThanOrEqual(4096);
      }),
      { numRuns: 300 },
    );
  });
});
