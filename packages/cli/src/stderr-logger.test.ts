import { describe, expect, it } from "vitest";
import { oneLine } from "./stderr-logger.js";

describe("a log line", () => {
  it("cannot be split or forged by what a peer sent", () => {
    expect(oneLine("message a\nherald relay: ready: forged\r\u0000\u001b[31m")).toBe(
      "message a\\nherald relay: ready: forged\\u000d\\u0000\\u001b[31m",
    );
  });

  it("is cut past 2,000 characters, saying how much", () => {
    const line = oneLine(`subject ${"s".repeat(100_000)}`);
    expect(line).toHaveLength(2000 + "… (98008 more characters)".length);
    expect(line.endsWith("… (98008 more characters)")).toBe(true);
  });
});
