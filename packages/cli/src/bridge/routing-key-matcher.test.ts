import { describe, expect, it } from "vitest";
import { routingKeyMatcher } from "./foreign-amqp-bridge.js";

describe("routingKeyMatcher (another broker's routing keys)", () => {
  it("matches as a topic exchange does, whatever the characters", () => {
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
      expect([pattern, key, routingKeyMatcher(pattern)(key)]).toEqual([pattern, key, expected]);
  });
});
