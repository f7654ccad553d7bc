import { defaultMaxMessageBytes } from "@herald/sdk";

/** The header a frame whose body was too large arrives with, its body removed: the body's size in bytes. */
export const oversizeHeader = "herald-oversize";

/** What {@link createStompFrameLimit} lets through. */
export interface StompFrameLimits {
  /** The largest body kept (default `defaultMaxMessageBytes`, the relay's largest message). */
  maxBodyBytes?: number;
  /** The largest command and headers of one frame (default 64 KiB). */
  maxHeaderBytes?: number;
}

/** Reads a broker's byte stream frame by frame, in bounded memory: {@link createStompFrameLimit}. */
export interface StompFrameLimit {
  /** Takes the next bytes from the broker; returns what the STOMP client may parse now. */
  push(chunk: Buffer): Buffer[];
}

const newline = 0x0a;

/**
 * Stands between a STOMP broker's socket and the client's parser (@stomp/stompjs keeps a frame in
 * memory whatever its size), so a broker that sends a huge frame costs at most the limits: a frame
 * is held until it is whole, and one whose body is larger than `maxBodyBytes` is passed on with an
 * empty body and the header {@link oversizeHeader}, so the bridge refuses that one message (NACK)
 * and reads on, rather than reconnecting to the same message forever. Heart-beats (bare newlines)
 * pass as they come. Bodies are delimited as STOMP 1.2 says: `content-length` bytes when the header
 * is given (they may hold NULs), else up to the first NUL.
 * @throws Error from `push` when a frame's command and headers exceed `maxHeaderBytes`: nothing
 *   sensible can be read after that, so the caller drops the connection.
 */
export function createStompFrameLimit(limits: StompFrameLimits = {}): StompFrameLimit {
  const maxBody = limits.maxBodyBytes ?? defaultMaxMessageBytes;
  const maxHeader = limits.maxHeaderBytes ?? 64 * 1024;
  let state: "between" | "headers" | "body" | "terminator" = "between";
  let header: Buffer[] = [];
  let headerBytes = 0;
  let body: Buffer[] = [];
  let bodyBytes = 0;
  /** Bytes of body still to come when `content-length` was given. */
  let remaining: number | undefined;

  const finish = (): Buffer => {
    const head = Buffer.concat(header).toString("utf8");
    header = [];
    headerBytes = 0;
    const kept = bodyBytes <= maxBody;
    const frame = kept
      ? Buffer.concat([Buffer.from(head, "utf8"), ...body, Buffer.from([0])])
      : Buffer.from(`${withoutContentLength(head)}${oversizeHeader}:${bodyBytes}\n\n\0`, "utf8");
    body = [];
    bodyBytes = 0;
    remaining = undefined;
    state = "between";
    return frame;
  };
  const keep = (bytes: Buffer) => {
    bodyBytes += bytes.length;
    // Past the limit only the count goes on: the bytes are dropped as they arrive.
    if (bodyBytes <= maxBody) body.push(bytes);
    else body = [];
  };

  return {
    push(chunk) {
      const out: Buffer[] = [];
      let at = 0;
      while (at < chunk.length) {
        if (state === "between") {
          // Heart-beats and the EOLs after a frame's NUL go through as they are.
          let end = at;
          while (end < chunk.length && (chunk[end] === newline || chunk[end] === 0x0d)) end++;
          if (end > at) out.push(chunk.subarray(at, end));
          at = end;
          if (at < chunk.length) state = "headers";
        } else if (state === "headers") {
          const before = Buffer.concat([...header, chunk.subarray(at)]);
          const blank = headerEnd(before);
          if (blank === undefined) {
            headerBytes = before.length;
            if (headerBytes > maxHeader) throw new Error(`a STOMP frame's headers exceed ${maxHeader} bytes`);
            header = [before];
            at = chunk.length;
            continue;
          }
          if (blank > maxHeader) throw new Error(`a STOMP frame's headers exceed ${maxHeader} bytes`);
          const consumed = blank - (before.length - (chunk.length - at));
          header = [before.subarray(0, blank)];
          headerBytes = blank;
          remaining = contentLength(before.subarray(0, blank).toString("utf8"));
          at += consumed;
          state = "body";
        } else if (state === "body") {
          if (remaining !== undefined) {
            const take = Math.min(remaining, chunk.length - at);
            keep(chunk.subarray(at, at + take));
            remaining -= take;
            at += take;
            if (remaining === 0) state = "terminator";
          } else {
            const nul = chunk.indexOf(0, at);
            keep(chunk.subarray(at, nul === -1 ? chunk.length : nul));
            if (nul === -1) at = chunk.length;
            else {
              at = nul + 1;
              out.push(finish());
            }
          }
        } else {
          // After content-length bytes comes the frame's NUL.
          if (chunk[at] !== 0) throw new Error("a STOMP frame's body is longer than its content-length");
          at++;
          out.push(finish());
        }
      }
      return out;
    },
  };
}

/** Where the blank line after the headers ends (the body's first byte), if it has come. */
function headerEnd(bytes: Buffer): number | undefined {
  const lf = bytes.indexOf("\n\n");
  const crlf = bytes.indexOf("\n\r\n");
  const ends = [lf === -1 ? undefined : lf + 2, crlf === -1 ? undefined : crlf + 3].filter(
    (end): end is number => end !== undefined,
  );
  return ends.length === 0 ? undefined : Math.min(...ends);
}

/** The first `content-length` header (STOMP: the first of repeated headers counts). */
function contentLength(head: string): number | undefined {
  const match = /(?:^|\n)content-length:(\d+)\r?\n/.exec(head);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The command and headers without content-length and without the blank line, ready for one more header. */
function withoutContentLength(head: string): string {
  const lines = head.replace(/\r?\n\r?\n$/, "").split(/\r?\n/);
  return `${lines.filter((line) => !line.startsWith("content-length:")).join("\n")}\n`;
}
