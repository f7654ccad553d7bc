import { crc32 } from "node:zlib";

/**
 * The relay journal's file format, version 2: one record per line, each ending with the CRC-32 of
 * what precedes it on the line (8 hex digits), so a flipped byte anywhere is found, not read as
 * data. The first line is `herald-relay-journal 2 <sender> <crc>`.
 *
 * - `m <ms> <seq> <topic> <base64 body> <JSON id>`: a message;
 * - `i <ms> <JSON id>`: an id whose body was let go;
 * - `s <topic> <seq>`: a topic's counter;
 * - `f <JSON id>`: an id forgotten (its republish failed).
 *
 * Version 1 was the same without checksums; it is still read, once, and rewritten as version 2.
 */
export const journalMagic = "herald-relay-journal";
export const journalVersion = 2;

/** One record of the journal, as read. */
export type JournalRecord =
  | { kind: "m"; at: number; sequence: number; topic: string; body: Buffer; id: string }
  | { kind: "i"; at: number; id: string }
  | { kind: "s"; topic: string; sequence: number }
  | { kind: "f"; id: string };

/** The line of a record's text: the text, a space, its checksum, a newline. */
export function sealLine(text: string): string {
  return `${text} ${checksumOf(text)}\n`;
}

/** The header line of a version-2 journal numbering as `sender`. */
export function headerLine(sender: string): string {
  return sealLine(`${journalMagic} ${journalVersion} ${sender}`);
}

/** The line of a message record. */
export function messageLine(at: number, sequence: number, topic: string, body: Buffer, id: string): string {
  return sealLine(`m ${at} ${sequence} ${topic} ${body.toString("base64")} ${JSON.stringify(id)}`);
}

const checksumOf = (text: string) => crc32(text).toString(16).padStart(8, "0");

/**
 * The text of a sealed line (without its newline) when its checksum holds, else undefined.
 */
export function unsealLine(line: string): string | undefined {
  const space = line.lastIndexOf(" ");
  if (space < 0 || line.length - space !== 9) return undefined;
  const text = line.slice(0, space);
  return checksumOf(text) === line.slice(space + 1) ? text : undefined;
}

/** Reads a record's text (checksum already removed); undefined when it is not a record. */
export function parseRecord(text: string): JournalRecord | undefined {
  const fields = text.split(" ");
  try {
    switch (fields[0]) {
      case "m": {
        if (fields.length < 6) return undefined;
        const [, at, sequence, topic, body] = fields as [string, string, string, string, string];
        const id = JSON.parse(fields.slice(5).join(" ")) as unknown;
        if (typeof id !== "string" || !isCount(sequence) || !isCount(at)) return undefined;
        return { kind: "m", at: Number(at), sequence: Number(sequence), topic, body: Buffer.from(body, "base64"), id };
      }
      case "i": {
        const id = JSON.parse(fields.slice(2).join(" ")) as unknown;
        return typeof id === "string" && isCount(fields[1]) ? { kind: "i", at: Number(fields[1]), id } : undefined;
      }
      case "s":
        return fields.length === 3 && isCount(fields[2])
          ? { kind: "s", topic: fields[1]!, sequence: Number(fields[2]) }
          : undefined;
      case "f": {
        const id = JSON.parse(fields.slice(1).join(" ")) as unknown;
        return typeof id === "string" ? { kind: "f", id } : undefined;
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

const isCount = (text: string | undefined) => text !== undefined && /^[0-9]{1,16}$/.test(text);
