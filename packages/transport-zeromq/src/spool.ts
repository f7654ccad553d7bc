import { readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Envelope, SigningKey } from "@herald/sdk";
import { HeraldError } from "@herald/sdk";
import { makeDirectory } from "@herald/sdk/internal";
import { preparePost } from "./prepare-post.js";

/**
 * A folder of messages no relay acknowledged yet, so that a git hook or script never loses one:
 * one file per message (`<id>.json`, written atomically), delivered in order by `flushSpool` when a
 * relay is back, by `herald spool flush` or by a relay started with `--spool`.
 */
export interface Spool {
  readonly dir: string;
  /** Queues a message; returns the file it was written to. */
  add(envelope: Envelope | Buffer): string;
  /** The queued files, oldest first (ids are UUIDv7, so names sort by time). */
  pending(): string[];
}

/** What one flush did. */
export interface SpoolFlushResult {
  sent: number;
  /** Refused by the relay (forged, not allowed): moved to `refused/` with the reason beside them. */
  refused: number;
  /** Still queued because no relay answered. */
  left: number;
}

/**
 * Opens (creating it if needed) a spool folder.
 * @throws HeraldError `E_CONFIG` when the folder cannot be created.
 */
export function createSpool(dir: string): Spool {
  try {
    makeDirectory(dir, 0o700);
  } catch (cause) {
    throw new HeraldError(
      "E_CONFIG",
      `cannot create spool folder ${dir}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      { cause },
    );
  }
  return {
    dir,
    add(envelope) {
      const body = Buffer.isBuffer(envelope) ? envelope : Buffer.from(JSON.stringify(envelope), "utf8");
      const id = Buffer.isBuffer(envelope) ? (JSON.parse(body.toString("utf8")) as { id: string }).id : envelope.id;
      const name = `${String(id).replace(/[^A-Za-z0-9_-]/g, "_")}.json`;
      const file = join(dir, name);
      // Written under a temporary name and renamed, so a flush never reads half a message.
      // Flushed to disk before it is named: "queued" must survive a power cut, not only a crash.
      writeFileSync(`${file}.tmp`, body, { mode: 0o600, flush: true });
      renameSync(`${file}.tmp`, file);
      return file;
    },
    pending: () =>
      readdirSync(dir)
        .filter((name) => name.endsWith(".json"))
        .sort()
        .map((name) => join(dir, name)),
  };
}

/**
 * Delivers queued messages in order through `send`, deleting each once sent. Stops at the first
 * message no relay acknowledged (the rest wait for the next flush).
 */
export async function flushSpool(
  spool: Spool,
  send: (topic: string, body: Buffer) => Promise<void>,
  options: { signingKey?: SigningKey } = {},
): Promise<SpoolFlushResult> {
  const result: SpoolFlushResult = { sent: 0, refused: 0, left: 0 };
  const files = spool.pending();
  for (const [index, file] of files.entries()) {
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      continue; // Taken by a concurrent flush.
    }
    try {
      // Files are envelopes (from herald) or {topic, data} posts (from the MediaWiki extension).
      const prepared = preparePost(JSON.parse(body.toString("utf8")), body, options.signingKey);
      if (typeof prepared === "string") throw new HeraldError("E_ENVELOPE", prepared);
      await send(prepared.topic, prepared.body);
    } catch (error) {
      if (HeraldError.isInstance(error) && error.code === "E_RELAY_UNREACHABLE") {
        result.left = files.length - index;
        return result;
      }
      const refusedDir = join(spool.dir, "refused");
      makeDirectory(refusedDir);
      const target = join(refusedDir, file.slice(spool.dir.length + 1));
      renameSync(file, target);
      writeFileSync(`${target}.reason`, `${(error as Error).message}\n`);
      result.refused++;
      continue;
    }
    unlinkSync(file);
    result.sent++;
  }
  return result;
}
