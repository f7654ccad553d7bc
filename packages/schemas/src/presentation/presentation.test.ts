import { createEnvelope } from "@herald/sdk";
import { describe, expect, it } from "vitest";
import { catalogue } from "../catalogue.js";
import { present } from "../presentation.js";
import today from "./_test-today.json" with { type: "json" };
import { compilePresentation, presentData } from "./present-data.js";
import { compileTemplate } from "./render-template.js";

const envelopeOf = (name: string, version: string, data: unknown) => ({
  specversion: "1.0" as const,
  id: "0193a8c4-5b2e-7c1d-9e3f-1a2b3c4d5e6f",
  source: "/test/host01",
  type: `org.example.dev.${name}`,
  time: "2026-01-01T00:00:00Z",
  datacontenttype: "application/json" as const,
  dataschema: `herald:${name}/${version}`,
  data: data as never,
});

describe("presentation documents", () => {
  it("present every built-in topic exactly as its metadata functions did (354 captured cases)", () => {
    expect(today.length).toBeGreaterThan(300);
    for (const { name, version, data, presentation } of today) {
      const got = present(envelopeOf(name, version, data));
      expect([name, version, data, { ...got, link: got.link ?? null }]).toEqual([name, version, data, presentation]);
    }
    // Every topic of the catalogue is among the cases.
    expect(new Set(today.map((item) => item.name))).toEqual(new Set(catalogue.map((topic) => topic.name)));
  });

  it.each([
    ["{{/n | round}}", { n: 2.5 }, "3"],
    ["{{/n | round 1}}", { n: 2.25 }, "2.3"],
    ["{{/ms | divide 1000 | round}} s", { ms: 12_499 }, "12 s"],
    ['{{/n}} {{/n | plural "file" "files"}}', { n: 1 }, "1 file"],
    ['{{/n}} {{/n | plural "file" "files"}}', { n: 0 }, "0 files"],
    ["{{/ref | shortref}}", { ref: "refs/heads/main" }, "main"],
    ["{{/d | signed}}", { d: 0 }, "+0"],
    ["{{/d | signed}}", { d: -4 }, "-4"],
    ["{{/t | truncate 5}}", { t: "abcdefgh" }, "abcd…"],
    ['{{/xs | join " + "}}', { xs: ["a", "b"] }, "a + b"],
    ["{{/xs}}", { xs: ["a", "b"] }, "a, b"],
    ["{{/xs | count}}", { xs: ["a", "b"] }, "2"],
    ['{{/xs/*/n | default "none"}}', { xs: [] }, "none"],
    ["{{/a~1b}} {{/c~0d}}", { "a/b": 1, "c~d": 2 }, "1 2"],
    ["{{#/on}}on{{end}}{{^/on}}off{{end}}", { on: false }, "off"],
    ["{{#/n}}n={{/n}}{{end}}", { n: 0 }, "n=0"],
  ])("renders %s over %j as %j", (template, data, want) => {
    expect(compileTemplate(template).render(data)).toBe(want);
  });

  it("degrades to a generic line when a template names a field the data lacks, never throwing", () => {
    const compiled = compilePresentation({ summary: "{{/user}} did {{/what}}", icon: "bell" });
    expect(presentData(compiled, { user: "alice" })).toMatchObject({ summary: '{"user":"alice"}', icon: "bell" });
    expect(presentData(compiled, { user: { nested: true }, what: "x" }).summary).toBe(
      '{"user":{"nested":true},"what":"x"}',
    );
    let deep: unknown = {};
    for (let i = 0; i < 20_000; i++) deep = { deep };
    expect(presentData(compiled, deep).summary).toBe("(data not shown: nested too deeply)");
  });

  it("shows only http(s) links", () => {
    const compiled = compilePresentation({ summary: "x", link: "{{/url}}" });
    expect(presentData(compiled, { url: "https://wiki.example.org/Main_Page" }).link).toBe(
      "https://wiki.example.org/Main_Page",
    );
    expect(presentData(compiled, { url: "javascript:alert(1)" }).link).toBeUndefined();
    expect(presentData(compiled, { url: "data:text/html,<script>" }).link).toBeUndefined();
  });

  it.each([
    [{ summary: "{{#/a}}x" }, /a section has no \{\{end\}\}/],
    [{ summary: "x{{end}}" }, /\{\{end\}\} without a section/],
    [{ summary: "{{user}}" }, /is not a JSON Pointer/],
    [{ summary: "{{/n | eval 1}}" }, /unknown filter/],
    [{ summary: "x", usernames: ["user"] }, /usernames: "user" is not a JSON Pointer/],
    [{ summary: "x", severity: "fatal" }, /severity "fatal" is not one of/],
  ])("refuses a document a schema author got wrong: %j", (document, message) => {
    expect(() => compilePresentation(document as never)).toThrow(message);
  });
});

describe("a dataschema naming another schema than the topic's", () => {
  it("is not used to present the message", () => {
    const envelope = createEnvelope({
      topic: "org.example.prod.logger.log",
      data: { text: "hello", title: "Main Page", user: "mallory", revision: 1 },
      dataschema: "herald:wiki.article.edit/1.0",
    });
    const presented = present(envelope);
    expect(presented.summary).not.toContain("mallory edited");
    expect(present(envelope, "logger.log").usernames).not.toContain("mallory");
  });
});
