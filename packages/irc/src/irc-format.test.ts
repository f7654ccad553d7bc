import { describe, expect, it } from "vitest";
import { formatIrcLine } from "./irc-format.js";

const presentation = {
  summary: "alice pushed 3 commits to herald (main)",
  usernames: ["alice"],
  packages: ["herald"],
  link: "https://git.example.org/herald/commit/a94a8fe",
  icon: "git-commit",
  severity: "info" as const,
};

describe("formatIrcLine", () => {
  it("puts the app in bold color, then the summary and the link in grey", () => {
    expect(formatIrcLine("git", presentation)).toBe(
      "\x02\x0303[git]\x03\x02 alice pushed 3 commits to herald (main) \x0314https://git.example.org/herald/commit/a94a8fe\x03",
    );
    expect(formatIrcLine("git", presentation, false)).toBe(
      "[git] alice pushed 3 commits to herald (main) https://git.example.org/herald/commit/a94a8fe",
    );
  });

  it("colors by severity", () => {
    expect(formatIrcLine("buildsys", { ...presentation, severity: "error" }).startsWith("\x02\x0304[buildsys]")).toBe(
      true,
    );
  });

  it("turns line breaks and control codes in message data into spaces, so no IRC command can be smuggled in", () => {
    const line = formatIrcLine(
      "wiki",
      { ...presentation, summary: "edit\r\nQUIT :bye\x00\x01", link: undefined },
      false,
    );
    expect(line).toBe("[wiki] edit QUIT :bye");
  });

  it("keeps the line within 400 bytes, link included", () => {
    const line = formatIrcLine("wiki", { ...presentation, summary: "é".repeat(500) });
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(400);
    expect(line).toContain("…");
    expect(line.endsWith("a94a8fe\x03")).toBe(true);
  });
  it("cuts a long summary once, at a code point, whatever its length (linear: a megabyte costs one pass)", () => {
    const huge = "é".repeat(500_000);
    const line = formatIrcLine("wiki", { ...presentation, summary: huge, link: undefined }, false);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(400);
    expect(line.endsWith("é…")).toBe(true);
    expect(line).not.toContain("\ufffd");
  });
});
