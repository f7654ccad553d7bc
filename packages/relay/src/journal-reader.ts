import { HeraldError } from "@herald/sdk";
import { type JournalRecord, journalMagic, journalVersion, parseRecord, unsealLine } from "./journal-records.js";

/** What reading a journal file found. */
export interface JournalContents {
  /** The sender id of its header (undefined for a file of ids only, the earliest format). */
  sender: string | undefined;
  /** The format it was written in: 0 (ids only), 1 (no checksums) or 2. */
  version: 0 | 1 | 2;
  records: JournalRecord[];
  /** The length of the part read: where the first dropped byte is, if any. */
  validBytes: number;
  /** Where reading stopped before the end, and why: what followed was dropped. */
  damage?: { offset: number; droppedBytes: number; droppedLines: number; reason: string };
  /**
   * An incomplete last line past everything ever synced: a write the relay was killed in the
   * middle of, so never acknowledged.
   */
  torn?: { offset: number; bytes: number };
}

/**
 * Reads and verifies a journal file. Reading stops at the first record whose checksum fails or
 * that is not a record, and at the end of what was last synced (`syncedBytes`, from the journal's
 * end mark) if the file is shorter: both are damage, reported with the offset and what was
 * dropped. A file that is not a relay journal at all is never taken for one.
 * @throws HeraldError `E_CONFIG` for a file that is not a relay journal (say of which kind).
 */
export function readJournal(file: string, data: Buffer, syncedBytes: number): JournalContents {
  const firstEnd = data.indexOf(0x0a);
  const first = data.subarray(0, firstEnd < 0 ? data.length : firstEnd).toString("utf8");
  if (first.startsWith(`${journalMagic} `)) {
    if (first.startsWith(`${journalMagic} 1 `) || first === `${journalMagic} 1`)
      return readLines(data, firstEnd + 1, 1, first.slice(journalMagic.length + 3) || undefined, syncedBytes);
    const header = unsealLine(first);
    const match =
      header === undefined ? null : new RegExp(`^${journalMagic} ${journalVersion} ([0-9a-f]{1,64})$`).exec(header);
    if (match === null || firstEnd < 0) throw notAJournal(file, "its header line is damaged or of an unknown version");
    return readLines(data, firstEnd + 1, 2, match[1]!, syncedBytes);
  }
  // The earliest format held ids only, `<ms> <id>` and `- <id>` lines: anything else is not ours.
  if (data.length > 0 && !/^(?:[0-9]{1,16}|-) \S/.test(first))
    throw notAJournal(file, "its first line is not a journal header");
  return readLines(data, 0, 0, undefined, syncedBytes);
}

function readLines(
  data: Buffer,
  start: number,
  version: 0 | 1 | 2,
  sender: string | undefined,
  syncedBytes: number,
): JournalContents {
  const records: JournalRecord[] = [];
  const contents: JournalContents = { sender, version, records, validBytes: start };
  let offset = start;
  const stop = (reason: string) => {
    let droppedLines = 0;
    for (let at = offset; at < data.length; at = data.indexOf(0x0a, at) + 1 || data.length) droppedLines++;
    contents.damage = { offset, droppedBytes: data.length - offset, droppedLines, reason };
  };
  while (offset < data.length) {
    const end = data.indexOf(0x0a, offset);
    if (end < 0) {
      // A last line without its newline: torn by a kill mid-write if nothing of it was synced.
      if (offset >= syncedBytes) contents.torn = { offset, bytes: data.length - offset };
      else stop("the last record is cut short");
      break;
    }
    const line = data.subarray(offset, end).toString("utf8");
    const record = version === 0 ? legacyRecord(line) : readRecord(line, version);
    if (record === undefined) {
      stop(version === 2 ? "a record's checksum does not match" : "a line is not a record");
      break;
    }
    records.push(record);
    offset = end + 1;
    contents.validBytes = offset;
  }
  if (contents.damage === undefined && data.length < syncedBytes)
    contents.damage = {
      offset: data.length,
      droppedBytes: syncedBytes - data.length,
      droppedLines: 0,
      reason: `the file ends ${syncedBytes - data.length} bytes before what was last synced (it was truncated)`,
    };
  return contents;
}

const readRecord = (line: string, version: 1 | 2): JournalRecord | undefined => {
  const text = version === 2 ? unsealLine(line) : line;
  return text === undefined ? undefined : parseRecord(text);
};

const legacyRecord = (line: string): JournalRecord | undefined => {
  const space = line.indexOf(" ");
  if (space < 0) return undefined;
  const [head, id] = [line.slice(0, space), line.slice(space + 1)];
  if (head === "-") return { kind: "f", id };
  return /^[0-9]{1,16}$/.test(head) ? { kind: "i", at: Number(head), id } : undefined;
};

const notAJournal = (file: string, why: string) =>
  new HeraldError(
    "E_CONFIG",
    `${file} is not a relay journal Herald can read (${why}); it was left as it is: move it away to start a new journal`,
  );
