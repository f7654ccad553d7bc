import { createInterface } from "node:readline";
import pc from "picocolors";

/** The streams and environment a command works with, so commands run in-process in tests. */
export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The real process streams. */
export function processIo(): CommandIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Colors for a stream: only on a TTY, and never with NO_COLOR set. */
export function colorsFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>) {
  return pc.createColors(stream.isTTY === true && env.NO_COLOR === undefined);
}

/** Reads standard input line by line, with 1-based line numbers, skipping blank lines. */
export async function* readLines(stdin: NodeJS.ReadableStream): AsyncGenerator<{ line: string; number: number }> {
  let number = 0;
  for await (const line of createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    number++;
    if (line.trim() !== "") yield { line, number };
  }
}

/** Reads all of standard input as text. */
export async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Collects output lines and writes them in batches, so printing thousands of messages a second
 * costs one write per batch rather than one per line.
 */
export function createBatchedWriter(stream: NodeJS.WritableStream): {
  write(line: string): void;
  flush(): Promise<void>;
} {
  let pending: string[] = [];
  let scheduled = false;
  const flushNow = () => {
    scheduled = false;
    if (pending.length === 0) return true;
    const text = pending.join("");
    pending = [];
    return stream.write(text);
  };
  return {
    write(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flushNow);
      }
    },
    flush() {
      return new Promise((resolve) => {
        if (flushNow()) resolve();
        else stream.once("drain", () => resolve());
      });
    },
  };
}
