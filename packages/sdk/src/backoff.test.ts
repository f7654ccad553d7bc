import { describe, expect, it } from "vitest";
import { backoffDelay, createBackoff } from "./backoff.js";

describe("backoff", () => {
  it("doubles up to the cap, each delay within its jitter band", () => {
    const backoff = createBackoff({ initialMs: 100, maxMs: 1000 });
    const delays = Array.from({ length: 6 }, () => backoff.next());
    const bands = [100, 200, 400, 800, 1000, 1000];
    delays.forEach((delay, index) => {
      expect(delay).toBeLessThanOrEqual(bands[index] as number);
      expect(delay).toBeGreaterThanOrEqual((bands[index] as number) * 0.8);
    });
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(100);
  });

  it("spreads clients that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, { initialMs: 1000 })));
    expect(delays.size).toBeGreaterThan(10);
  });

  it("is exact with no jitter", () => {
    expect(backoffDelay(2, { initialMs: 50, jitter: 0 })).toBe(200);
    expect(backoffDelay(0, { initialMs: 50 }, () => 1)).toBe(40);
  });
});
