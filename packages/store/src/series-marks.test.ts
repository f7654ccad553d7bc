import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@herald/sdk";
import { describe, expect, it } from "vitest";
import { openSeriesMarks } from "./series-marks.js";

const file = () => join(mkdtempSync(join(tmpdir(), "herald-marks-")), "store.series.json");
const quiet: Logger = { info() {}, warn() {}, error() {} };

describe("a store's series marks", () => {
  it("keep the highest committed number of each series across a reopen, and at most maxSeries", () => {
    const path = file();
    const marks = openSeriesMarks(path, quiet, 2);
    marks.committed([
      ["a.b.c.d", { sender: "aa", sequence: 5 }],
      ["a.b.c.d", { sender: "aa", sequence: 3 }],
      ["a.b.c.e", { sender: "aa", sequence: 1 }],
      ["a.b.c.f", { sender: "bb", sequence: 9 }],
    ]);
    marks.close();
    expect(openSeriesMarks(path, quiet, 2).loaded).toEqual([
      { sender: "aa", topic: "a.b.c.e", sequence: 1 },
      { sender: "bb", topic: "a.b.c.f", sequence: 9 },
    ]);
  });

  it("ignore a damaged file with one line, starting afresh", () => {
    const path = file();
    writeFileSync(path, '{"version":1,"series":[["aa","a.b.c.d",');
    const lines: string[] = [];
    const marks = openSeriesMarks(path, { ...quiet, warn: (line) => lines.push(line) });
    expect(marks.loaded).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ignoring the store's series marks .*starting each series afresh/);
  });
});
