#!/usr/bin/env node
// Keeps the suite free of fixed pauses: a test waits for an event (a subscriber joined, a line
// printed, a count reached) through `until` or a readiness signal, never for a time to pass. A
// pause of 200 ms or more in a test file or the test helpers is reported with its place; exit 1.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pause = /setTimeout\(\s*\w+\s*,\s*([\d_]+)\s*\)/g;
const limitMs = 200;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (/\.test\.ts$/.test(entry.name) || path.includes(join("internal", "test-support", "src"))) yield path;
  }
}

const found = [];
for (const folder of ["packages", "integrations", "internal"]) {
  for (const file of files(join(root, folder))) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, index) => {
      for (const match of line.matchAll(pause)) {
        const ms = Number(match[1].replaceAll("_", ""));
        if (ms >= limitMs) found.push(`${relative(root, file)}:${index + 1}: a fixed pause of ${ms} ms`);
      }
    });
  }
}
if (found.length > 0) {
  process.stderr.write(
    `${found.join("\n")}\ncheck-test-waits: ${found.length} fixed pause(s) of ${limitMs} ms or more; wait for what the test needs (until, a ready line, a subscriber count) instead\n`,
  );
  process.exit(1);
}
process.stdout.write(`check-test-waits: no fixed pause of ${limitMs} ms or more in the tests\n`);
