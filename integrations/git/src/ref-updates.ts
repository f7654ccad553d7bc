/** One line of a post-receive hook's input: a ref moved from `old` to `new`. */
export interface RefUpdate {
  old: string;
  new: string;
  ref: string;
}

const zero = /^0+$/;

/** True for git's all-zero object name: the ref did not exist (old) or no longer exists (new). */
export const isZero = (rev: string) => zero.test(rev);

/** Parses the hook's standard input: `<old> <new> <ref>` per line. Malformed lines are skipped. */
export function parseRefUpdates(input: string): RefUpdate[] {
  return input
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts): parts is [string, string, string] => parts.length === 3 && parts.every((part) => part.length > 0))
    .map(([old, next, ref]) => ({ old, new: next, ref }));
}
