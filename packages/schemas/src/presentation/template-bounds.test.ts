import { describe, expect, it } from "vitest";
import { compilePresentation, presentData } from "./present-data.js";
import { compileTemplate, templateLimits } from "./render-template.js";

// A presentation may come from a registry: one template and one message must never cost a
// service seconds or gigabytes (the bomb: 3,000 × {{/a/*}} and 100,000 strings in data.a).
const manyStrings = { a: Array.from({ length: 100_000 }, (_, n) => `s${n}`) };

describe("template bounds", () => {
  it("refuses at compile time a template with too many tags, wildcards or nested sections", () => {
    expect(() => compileTemplate("{{/a/*}}".repeat(3000))).toThrow(/more than 256 tags/);
    expect(() => compileTemplate("{{/a/*/b/*/c/*}}")).toThrow(/more than 2 \* segments/);
    expect(() => compileTemplate(`${"{{#/a}}".repeat(20)}x${"{{end}}".repeat(20)}`)).toThrow(/nest more than 16/);
  });

  it("gives the generic line (undefined) past the work bound, and cuts a long text at the output bound", () => {
    expect(compileTemplate("{{/a/*}}".repeat(200)).render(manyStrings)).toBeUndefined();
    const long = compileTemplate("{{/a}}".repeat(200)).render(manyStrings) as string;
    expect(long.length).toBe(templateLimits.maxOutput);
    expect(long.endsWith("…")).toBe(true);
    // What real templates do is untouched.
    expect(compileTemplate("{{/a | count}} strings, first {{/a/0}}").render(manyStrings)).toBe(
      "100000 strings, first s0",
    );
  });

  it("never throws while rendering, whatever the data", () => {
    const template = compileTemplate('{{/a | round 2}} {{/b | join ", "}}');
    for (const data of [null, 5, "x", [], { a: { deep: true } }, { b: [[[]]] }, { a: Number.NaN }])
      expect(() => template.render(data)).not.toThrow();
  });
  it("names at most 100 users of a message, once each, however many its data lists", () => {
    const compiled = compilePresentation({ summary: "{{/a | count}} names", usernames: ["/a/*", "/a/0"] });
    const presented = presentData(compiled, { a: Array.from({ length: 1_000 }, (_, n) => `user${n % 500}`) });
    expect(presented.usernames).toHaveLength(100);
    expect(new Set(presented.usernames).size).toBe(100);
    // Past the work bound a `*` gives none.
    expect(presentData(compiled, manyStrings).usernames).toEqual(["s0"]);
  });
});
