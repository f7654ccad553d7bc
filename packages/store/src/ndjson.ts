/**
 * A stored envelope as one NDJSON line. Envelopes arrive as compact JSON and are written as they
 * are; one that came pretty-printed is compacted, which keeps it verifying (signatures cover the
 * canonical form, PROTOCOL.md §3) but is then no longer byte-identical: `/herald/id` still has those bytes.
 */
export function toNdjsonLine(raw: string): string {
  return raw.includes("\n") || raw.includes("\r") ? `${JSON.stringify(JSON.parse(raw))}\n` : `${raw}\n`;
}
