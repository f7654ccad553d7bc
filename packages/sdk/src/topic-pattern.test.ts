import { describe, expect, it } from "vitest";
import {
  compileRoutingKeyPattern,
  compileTopicPattern,
  isValidTopicPattern,
  topicPatternRegExpSource,
} from "./topic-pattern.js";

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

  it("matches a pattern of many # in linear time, compiled or as a regular expression source", () => {
    const hostile = Array.from({ length: 26 }, (_, i) => (i % 2 === 0 ? "#" : "a")).join(".");
    const topic = `${"a.".repeat(60)}b`;
    // Backtracking on 13 #s over 61 tokens would not finish within the test's timeout (it grows
    // exponentially); linear matching answers at once. So no duration is asserted.
    expect(compileTopicPattern(hostile).matches(topic)).toBe(false);
    expect(compileTopicPattern("#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.b").matches(topic)).toBe(true);
    expect(compileRoutingKeyPattern(hostile)(topic)).toBe(false);
    // Runs of # are one #, so a database's engine gets one unbounded repetition for them.
    expect(topicPatternRegExpSource("#.#.#.b")).toBe(topicPatternRegExpSource("#.b"));
  });

  it("gives databases the same answers as the matcher", () => {
    const cases = ["org.*.git.#", "#.receive", "org.example.prod.git.receive", "org.#.git.#"];
    const topics = ["org.example.prod.git.receive", "org.git", "org.x.git", "other.receive"];
    for (const pattern of cases) {
      const regex = new RegExp(topicPatternRegExpSource(pattern));
      for (const topic of topics)
        expect([pattern, topic, regex.test(`.${topic}`)]).toEqual([
          pattern,
          topic,
          compileTopicPattern(pattern).matches(topic),
        ]);
    }
  });
});

describe("routing-key patterns (another broker's routing keys)", () => {
  it("match as a topic exchange does, whatever the characters", () => {
    const cases: [string, string, boolean][] = [
      ["forge.*.push", "forge.herald.push", true],
      ["forge.*.push", "forge.push", false],
      ["Alerts.#", "Alerts", true],
      ["Alerts.#", "Alerts.disk.Full", true],
      ["#.push", "a.b.push", true],
      ["#", "anything.at.all", true],
      ["a.#.z", "a.z", true],
      ["a.#.z", "a.b.c.z", true],
      ["a.#.z", "a.b.c", false],
    ];
    for (const [pattern, key, expected] of cases)
      expect([pattern, key, compileRoutingKeyPattern(pattern)(key)]).toEqual([pattern, key, expected]);
  });
});
