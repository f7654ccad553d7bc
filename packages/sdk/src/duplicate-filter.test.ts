import { describe, expect, it } from "vitest";
import { createDuplicateFilter } from "./duplicate-filter.js";

describe("the duplicate filter", () => {
  it("drops an id seen within the window and lets it through once the window has passed", () => {
    let time = 0;
    const filter = createDuplicateFilter({ windowMs: 1000, now: () => time });
    expect(filter.isRepeat("a")).toBe(false);
    time = 999;
    expect(filter.isRepeat("a")).toBe(true);
    time = 2500;
    expect(filter.isRepeat("a")).toBe(false);
    expect(filter.has("a")).toBe(true);
  });

  it("forgets the oldest ids past its bound on memory", () => {
    const filter = createDuplicateFilter({ maxEntries: 3 });
    for (const id of ["a", "b", "c", "d"]) filter.remember(id);
    expect(["a", "b", "c", "d"].map((id) => filter.has(id))).toEqual([false, true, true, true]);
  });
});
