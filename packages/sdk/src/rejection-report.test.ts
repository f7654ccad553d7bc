import { afterEach, describe, expect, it, vi } from "vitest";
import { createRejectionReport } from "./rejection-report.js";

afterEach(() => {
  vi.useRealTimers();
});

function recorder() {
  const lines: string[] = [];
  const logger = { info: () => {}, error: () => {}, warn: (line: string) => lines.push(line) };
  return { lines, logger };
}

describe("createRejectionReport", () => {
  it("says the first refusal of every kind at once, even five of one reason in a row", () => {
    vi.useFakeTimers();
    const { lines, logger } = recorder();
    const report = createRejectionReport(logger);
    const details = [
      "fedmsg message refused: body is not JSON",
      "fedmsg message refused: no topic",
      "fedmsg message refused: msg is not an object",
      "fedmsg message refused: integer 9223372036854775809 is beyond 2^53-1",
      "fedmsg message refused: topic has an empty word",
    ];
    for (const detail of details) report.refuse("unconvertible", detail);
    expect(lines).toEqual(details.map((detail) => `refused a message: unconvertible: ${detail}`));
    report.stop();
  });

  it("counts a flood of one kind in one line a second, reported by the timer without waiting for another refusal", () => {
    vi.useFakeTimers();
    const { lines, logger } = recorder();
    const report = createRejectionReport(logger);
    for (let index = 0; index < 1000; index++)
      report.count({ reason: "bad-signature", detail: `signature of message ${index} does not verify`, topic: "t.x" });
    expect(lines).toEqual(["refused a message on t.x: bad-signature: signature of message 0 does not verify"]);
    vi.advanceTimersByTime(1000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      "refused 1000 message(s) since the last report: bad-signature 1000; since the start 1000: bad-signature 1000",
    );
    vi.advanceTimersByTime(5000);
    expect(lines).toHaveLength(2);
    expect(report.summary()).toBe("bad-signature 1000");
    report.stop();
  });

  it("says at most twenty new kinds a second and counts the rest, keeping memory bounded", () => {
    vi.useFakeTimers();
    const { lines, logger } = recorder();
    const report = createRejectionReport(logger);
    for (let index = 0; index < 30; index++) report.refuse("malformed", `field f${"x".repeat(index)} is wrong`);
    expect(lines).toHaveLength(20);
    vi.advanceTimersByTime(1000);
    expect(lines[20]).toMatch(
      /^refused 30 message\(s\) since the last report: malformed 30 \(10 of a kind not yet described/,
    );
    // The next second, the ten held back are said when they come again.
    for (let index = 20; index < 30; index++) report.refuse("malformed", `field f${"x".repeat(index)} is wrong`);
    expect(lines).toHaveLength(31);
    report.stop();
  });
});
