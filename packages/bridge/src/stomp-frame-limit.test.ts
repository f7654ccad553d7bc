import { describe, expect, it } from "vitest";
import { createStompFrameLimit, oversizeHeader } from "./stomp-frame-limit.js";

/** Feeds `bytes` in chunks of `size` and returns what came out, as text. */
function feed(bytes: Buffer, size: number, limits = { maxBodyBytes: 16, maxHeaderBytes: 128 }): string {
  const limit = createStompFrameLimit(limits);
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(...limit.push(bytes.subarray(at, at + size)));
  return Buffer.concat(out).toString("latin1");
}

const frame = (head: string, body: string | Buffer) =>
  Buffer.concat([Buffer.from(head, "latin1"), Buffer.from(body as string, "latin1"), Buffer.from([0])]);

describe("the STOMP frame limit", () => {
  const small = frame("MESSAGE\nmessage-id:1\ndestination:/queue/a\n\n", '{"a":1}');
  const binary = frame("MESSAGE\nmessage-id:2\ncontent-length:5\n\n", Buffer.from([1, 0, 2, 0, 3]));
  const large = frame("MESSAGE\nmessage-id:3\nack:7\n\n", "x".repeat(100));
  const declared = frame("MESSAGE\nmessage-id:4\ncontent-length:40\n\n", Buffer.alloc(40, 0));
  const stream = Buffer.concat([Buffer.from("\n\n"), small, Buffer.from("\n"), binary, large, declared, small]);

  it.each([1, 2, 7, 64, stream.length])(
    "passes frames whole and replaces oversized bodies, in chunks of %i bytes",
    (size) => {
      const out = feed(stream, size);
      expect(out).toBe(
        [
          "\n\n",
          small.toString("latin1"),
          "\n",
          binary.toString("latin1"),
          `MESSAGE\nmessage-id:3\nack:7\n${oversizeHeader}:100\n\n\0`,
          `MESSAGE\nmessage-id:4\n${oversizeHeader}:40\n\n\0`,
          small.toString("latin1"),
        ].join(""),
      );
    },
  );

  it("keeps a body that holds NULs whole when content-length is given", () => {
    expect(feed(binary, 3)).toBe(binary.toString("latin1"));
  });

  it("refuses headers beyond their limit, and a body longer than its content-length", () => {
    expect(() => feed(Buffer.from(`MESSAGE\n${"h:v\n".repeat(100)}`), 10)).toThrow(/headers exceed 128 bytes/);
    expect(() => feed(frame("MESSAGE\ncontent-length:2\n\n", "abc"), 100)).toThrow(/longer than its content-length/);
  });

  it("holds no more than the limits while a huge body streams in", () => {
    const limit = createStompFrameLimit({ maxBodyBytes: 1024 });
    expect(limit.push(Buffer.from("MESSAGE\nmessage-id:9\n\n"))).toEqual([]);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const before = process.memoryUsage().arrayBuffers;
    for (let n = 0; n < 2000; n++) expect(limit.push(chunk)).toEqual([]);
    // 128 MiB went by; what is held stays far below it.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
    const [last] = limit.push(Buffer.from([0]));
    expect(last?.toString()).toBe(`MESSAGE\nmessage-id:9\n${oversizeHeader}:${2000 * 64 * 1024}\n\n\0`);
  });
});
