import type { HopStamp, TransportFrame } from "@herald/sdk";
import { parseHopStamp } from "@herald/sdk/internal";

/**
 * The topic frame of a heartbeat. Not a topic a message can have (a topic has at least four
 * tokens), so no subscriber's pattern takes it for one.
 */
export const heartbeatTopic = "herald.heartbeat";

/** Topics named in one heartbeat frame at most: a hop sending on more splits them. */
const topicsPerFrame = 500;
/** A topic is named for this long after its last message: long enough to cross any stall. */
const quietAfterMs = 60_000;

/**
 * The publishing side: remembers the latest stamp sent on each topic and, every `intervalMs`,
 * sends `[herald.heartbeat, {"sender": "...", "latest": {"<topic>": n, ...}}]` per sender for the
 * topics active within the last minute, and for every topic a journal still holds (`hold`).
 */
export function createHeartbeats(
  intervalMs: number,
  send: (frames: string[]) => void,
): {
  sent(topic: string, stampFrame: string): void;
  hold(held: () => Iterable<[topic: string, stamp: HopStamp]>): void;
  stop(): void;
} {
  const latest = new Map<string, { stamp: string; at: number }>();
  let held: (() => Iterable<[string, HopStamp]>) | undefined;
  const beat = () => {
    const now = Date.now();
    const bySender = new Map<string, Record<string, number>>();
    const name = (topic: string, stamp: HopStamp) => {
      let topics = bySender.get(stamp.sender);
      if (topics === undefined || Object.keys(topics).length >= topicsPerFrame) {
        if (topics !== undefined) send([heartbeatTopic, JSON.stringify({ sender: stamp.sender, latest: topics })]);
        topics = {};
        bySender.set(stamp.sender, topics);
      }
      topics[topic] = stamp.sequence;
    };
    for (const [topic, { stamp, at }] of latest) {
      if (now - at > quietAfterMs) {
        latest.delete(topic);
        continue;
      }
      const parsed = parseHopStamp(stamp);
      if (parsed !== undefined) name(topic, parsed);
    }
    // What a journal holds is announced as long as it is held: a subscriber can still fetch it.
    if (held !== undefined) for (const [topic, stamp] of held()) if (!latest.has(topic)) name(topic, stamp);
    for (const [sender, topics] of bySender) send([heartbeatTopic, JSON.stringify({ sender, latest: topics })]);
  };
  const timer = intervalMs > 0 ? setInterval(beat, intervalMs) : undefined;
  timer?.unref();
  return {
    sent(topic, stampFrame) {
      if (timer === undefined) return;
      latest.delete(topic);
      latest.set(topic, { stamp: stampFrame, at: Date.now() });
    },
    hold(source) {
      held = source;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * The subscribing side: one frame per topic a heartbeat names, `{topic, body: empty, stamp,
 * heartbeat: true}`. Anything malformed yields nothing (a heartbeat is a hint, never an error).
 */
export function readHeartbeat(body: Buffer | undefined): TransportFrame[] {
  if (body === undefined || body.length > 256 * 1024) return [];
  try {
    const value = JSON.parse(body.toString("utf8")) as { sender?: unknown; latest?: unknown };
    if (typeof value.sender !== "string" || typeof value.latest !== "object" || value.latest === null) return [];
    const frames: TransportFrame[] = [];
    for (const [topic, sequence] of Object.entries(value.latest)) {
      const stamp = parseHopStamp(`seq ${value.sender} ${sequence}`);
      if (stamp !== undefined && frames.length < topicsPerFrame)
        frames.push({ topic, body: empty, stamp, heartbeat: true });
    }
    return frames;
  } catch {
    return [];
  }
}

const empty = Buffer.alloc(0);
