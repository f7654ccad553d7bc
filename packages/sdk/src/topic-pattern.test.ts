import { describe, expect, it } from "vitest";
import { compileTopicPattern, isValidTopicPattern } from "./topic-pattern.js";

/** The definition of AMQP topic matching, written as plainly as possible, to check the fast paths. */
function reference(pattern: string[], topic: string[]): boolean {
  if (pattern.length === 0) return topic.length === 0;
  const [head, ...rest] = pattern;
  if (head === "#") return topic.some((_, i) => reference(rest, topic.slice(i))) || reference(rest, []);
  if (topic.length === 0) return false;
  return (head === "*" || head === topic[0]) && reference(rest, topic.slice(1));
}

describe("topic patterns", () => {
  it("agree with the plain definition on 5,000 random patterns and topics", () => {
    const tokens = ["a", "b", "c", "*", "#"];
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)] as T;
    for (let round = 0; round < 5000; round++) {
      const pattern = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => pick(tokens));
      const topic = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => pick(["a", "b", "c"]));
      const compiled = compileTopicPattern(pattern.join("."));
      expect([pattern.join("."), topic.join("."), compiled.matches(topic.join("."))]).toEqual([
        pattern.join("."),
        topic.join("."),
        reference(pattern, topic),
      ]);
    }
  });

  it.each([
    ["org.example.*.git.#", "org.example."],
    ["#", ""],
    ["org.example.prod.git.receive", "org.example.prod.git.receive"],
  ])("gives %s the ZeroMQ prefix %j", (pattern, prefix) => {
    expect(compileTopicPattern(pattern).literalPrefix).toBe(prefix);
  });

  it.each(["", "org..x", "org.Example", "org.#x", "org.**"])("rejects the pattern %j", (pattern) => {
    expect(isValidTopicPattern(pattern)).toBe(false);
    expect(() => compileTopicPattern(pattern)).toThrow(/invalid topic pattern/);
  });
});
