import type { Presentation, Severity } from "@herald/schemas";

// mIRC formatting codes: \x02 bold, \x03NN color, \x0F reset.
const bold = "\x02";
const color = (code: string, text: string) => `\x03${code}${text}\x03`;
const severityColor: Record<Severity, string> = { debug: "14", info: "03", warning: "07", error: "04" };
// The longest line: IRC allows 512 bytes including the command and the target.
const maxTextBytes = 400;

/**
 * One IRC line for a message: `[app] summary link`, the app in bold and colored by severity, the
 * link grey. Control characters and line breaks in the summary (which comes from message data)
 * become spaces, so a message can neither break the line nor smuggle an IRC command in.
 */
export function formatIrcLine(app: string, presentation: Presentation, colors = true): string {
  const summary = printable(presentation.summary);
  const link = presentation.link === undefined ? "" : printable(presentation.link);
  const head = colors ? `${bold}${color(severityColor[presentation.severity], `[${app}]`)}${bold}` : `[${app}]`;
  const tail = link === "" ? "" : ` ${colors ? color("14", link) : link}`;
  const room = maxTextBytes - Buffer.byteLength(head) - Buffer.byteLength(tail) - 1;
  return `${head} ${truncateBytes(summary, room)}${tail}`;
}

/** Text with control characters (CR, LF, NUL, formatting codes) replaced by spaces. */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  return text.replace(/[\x00-\x1f\x7f]+/g, " ").trim();
}

function truncateBytes(text: string, bytes: number): string {
  const encoded = Buffer.from(text, "utf8");
  if (encoded.length <= bytes) return text;
  // Cut once, in linear time, at the start of a code point, leaving room for "…" (3 bytes).
  let end = Math.max(0, bytes - 3);
  while (end > 0 && ((encoded[end] as number) & 0xc0) === 0x80) end--;
  return `${encoded.subarray(0, end).toString("utf8")}…`;
}
