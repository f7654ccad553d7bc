import { describe, expect, it } from "vitest";
import { createAmqpFrameCheck } from "./amqp10-limits.js";

const frame = (size: number) => {
  const bytes = Buffer.alloc(size, 0x11);
  bytes.writeUInt32BE(size, 0);
  return bytes;
};
const header = Buffer.from([0x41, 0x4d, 0x51, 0x50, 3, 1, 0, 0]);

/** Feeds `bytes` to a fresh check in chunks of `size`. */
function feed(bytes: Buffer, size: number, maxFrame = 1024): void {
  const check = createAmqpFrameCheck(maxFrame);
  for (let at = 0; at < bytes.length; at += size) check(bytes.subarray(at, at + size));
}

describe("the AMQP 1.0 frame check", () => {
  const good = Buffer.concat([header, frame(8), frame(300), header, frame(1024), frame(9)]);

  it.each([1, 3, 5, 64, good.length])(
    "lets protocol headers and frames within the limit pass, in chunks of %i",
    (size) => {
      expect(() => feed(good, size)).not.toThrow();
    },
  );

  it.each([1, 7, 64])("refuses a frame larger than the limit, or too small to be one, in chunks of %i", (size) => {
    expect(() => feed(Buffer.concat([header, frame(8), frame(1025)]), size)).toThrow(
      "the broker sent a frame of 1025 bytes; this bridge accepts 8 to 1024",
    );
    expect(() => feed(Buffer.concat([header, Buffer.from([0, 0, 0, 3])]), size)).toThrow(/frame of 3 bytes/);
    // Garbage where a frame should start claims some size; the check never waits for it.
    expect(() => feed(Buffer.concat([header, Buffer.from([0xff, 0x12, 0x34, 0x56])]), size)).toThrow(
      /frame of \d+ bytes/,
    );
  });
});
