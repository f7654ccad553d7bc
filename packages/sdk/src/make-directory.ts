import { mkdirSync, type Stats, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * Creates a folder and the folders above it that are missing (`mkdir -p`), and always ends.
 * Node's `mkdirSync(dir, { recursive: true })` loops forever under `/proc` (the kernel answers
 * "no such file" for a new child of a folder that exists, so Node makes the parent again, and
 * again), which made a mistaken path such as `--db /proc/x/store.sqlite` hang a command without a
 * word. This walks up to the nearest folder that exists and creates each missing one below it.
 * @param mode Permissions of the folders it creates (as `mkdir -m`); existing ones are untouched.
 * @throws NodeJS.ErrnoException of the first folder that could not be created, or `EEXIST` when a
 *   file is in the way.
 */
export function makeDirectory(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    const found = existing(current);
    if (found?.isDirectory()) break;
    // A file where a folder should be: mkdir says so (EEXIST), naming it.
    if (found !== undefined) mkdirSync(current);
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, mode === undefined ? undefined : { mode });
    } catch (error) {
      // Another process made it meanwhile: what was wanted.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(folder).isDirectory()) throw error;
    }
  }
}

/** What is at `path`, or undefined when nothing is (a file above it counts as nothing: ENOTDIR). */
function existing(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}
