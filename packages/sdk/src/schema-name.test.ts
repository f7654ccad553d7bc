import { describe, expect, it } from "vitest";
import { schemaNameOf } from "./topic.js";

describe("schemaNameOf", () => {
  it.each([
    ["org.example.prod.git.receive", "prod", "git.receive"],
    ["org.example.stg.git.receive", "prod", undefined],
    ["org.example.stg.git.receive", undefined, "git.receive"],
    ["org.example.prod.wiki.article.edit", undefined, "wiki.article.edit"],
    ["org.other.prod.git.receive", undefined, undefined],
    ["org.example.prod", undefined, undefined],
    ["org.example.prod.", "prod", undefined],
  ])("%s under org.example, environment %s → %s", (topic, environment, want) => {
    expect(schemaNameOf(topic, "org.example", environment)).toBe(want);
  });
});
