const blocks = "▁▂▃▄▅▆▇█";
const ascii = "_.-:=+*#";

/**
 * A sparkline: one character per value, scaled to the largest. Block characters where the
 * terminal speaks UTF-8, an ASCII ramp elsewhere; a zero is always the lowest mark.
 */
export function sparkline(values: readonly number[], utf8: boolean): string {
  const marks = utf8 ? blocks : ascii;
  const max = Math.max(...values, 0);
  return values
    .map((value) =>
      value === 0 || max === 0 ? marks[0] : marks[Math.max(1, Math.ceil((value / max) * (marks.length - 1)))],
    )
    .join("");
}
