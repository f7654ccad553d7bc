import { afterEach, describe, expect, it, vi } from "vitest";
import { createSendQueue } from "./send-queue.js";

afterEach(() => vi.useRealTimers());

describe("createSendQueue", () => {
  it("sends a burst at once, then at the sustained rate", () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const queue = createSendQueue({ perSecond: 2, burst: 3, maxWaiting: 100, send: (_, line) => sent.push(line) });
    for (let index = 0; index < 7; index++) queue.push("#c", `line ${index}`);
    expect(sent).toHaveLength(3);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(4);
    vi.advanceTimersByTime(1500);
    expect(sent).toHaveLength(7);
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6].map((index) => `line ${index}`));
  });

  it("drops the oldest lines beyond its bound and counts them", () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const queue = createSendQueue({ perSecond: 1, burst: 1, maxWaiting: 2, send: (_, line) => sent.push(line) });
    for (const line of ["a", "b", "c", "d", "e"]) queue.push("#c", line);
    expect(sent).toEqual(["a"]);
    expect(queue.dropped).toBe(2);
    vi.advanceTimersByTime(3000);
    expect(sent).toEqual(["a", "d", "e"]);
  });

  it("holds lines while paused (disconnected) and sends them on resume", () => {
    const sent: string[] = [];
    const queue = createSendQueue({ perSecond: 1, burst: 5, maxWaiting: 10, send: (_, line) => sent.push(line) });
    queue.pause();
    queue.push("#c", "waiting");
    expect(sent).toEqual([]);
    queue.resume();
    expect(sent).toEqual(["waiting"]);
  });
});
