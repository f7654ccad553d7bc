import type { HopStamp } from "@herald/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHeartbeats, readHeartbeat } from "./heartbeat.js";

afterEach(() => {
  vi.useRealTimers();
});

/** The topics and numbers named by the heartbeats sent during `run`. */
const named = (frames: string[][]) =>
  Object.fromEntries(
    frames.flatMap(([, body]) =>
      readHeartbeat(Buffer.from(body!)).map((frame) => [frame.topic, frame.stamp?.sequence]),
    ),
  );

describe("heartbeats", () => {
  it("name a topic a journal holds long after its last message, and a merely sent one only for a minute", () => {
    vi.useFakeTimers();
    const frames: string[][] = [];
    const beats = createHeartbeats(1000, (frame) => frames.push(frame));
    const held = new Map<string, HopStamp>([["org.example.prod.held.topic", { sender: "ab12", sequence: 30_029 }]]);
    beats.hold(() => held.entries());
    beats.sent("org.example.prod.sent.topic", "seq ab12 7");
    vi.advanceTimersByTime(1000);
    expect(named(frames)).toEqual({ "org.example.prod.held.topic": 30_029, "org.example.prod.sent.topic": 7 });

    // A subscriber stopped for 100 s still hears of the held topic when it reads again.
    frames.length = 0;
    vi.advanceTimersByTime(100_000);
    expect(named(frames.slice(-1))).toEqual({ "org.example.prod.held.topic": 30_029 });
    beats.stop();
  });

  it("split many topics over frames of at most 500", () => {
    vi.useFakeTimers();
    const frames: string[][] = [];
    const beats = createHeartbeats(1000, (frame) => frames.push(frame));
    beats.hold(function* () {
      for (let n = 1; n <= 1200; n++) yield [`org.example.prod.t${n}`, { sender: "ab12", sequence: n }];
    });
    vi.advanceTimersByTime(1000);
    expect(frames).toHaveLength(3);
    expect(Object.keys(named(frames))).toHaveLength(1200);
    beats.stop();
  });
});
