import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeDirectory } from "./make-directory.js";

describe("makeDirectory", () => {
  const made: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-mkdir-"));
    made.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("creates every missing folder, with the mode asked for, and accepts one that exists", () => {
    const root = scratch();
    const deep = join(root, "a", "b", "c");
    makeDirectory(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(join(root, "a")).mode & 0o777).toBe(0o700);
    makeDirectory(deep);
    makeDirectory(root);
  });

  it("fails, naming it, when a file is in the way", () => {
    const root = scratch();
    writeFileSync(join(root, "file"), "");
    expect(() => makeDirectory(join(root, "file", "below"))).toThrow(/EEXIST.*file/);
  });

  // Node's own recursive mkdirSync never returns here (Linux's /proc answers ENOENT for a new child).
  it.runIf(process.platform === "linux")("ends with an error under /proc instead of looping", () => {
    expect(() => makeDirectory("/proc/herald-no-such/folder")).toThrow(/ENOENT/);
  });
});
