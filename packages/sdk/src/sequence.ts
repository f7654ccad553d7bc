import { randomBytes } from "node:crypto";

/**
 * Loss detection (PROTOCOL.md §5): each hop numbers what it sends in an extra frame,
 * `seq <sender> <n>`. Numbers count per topic, so a subscriber that filters on topics still sees
 * every number of the topics it receives and a gap always means loss. The sender id is random per
 * process, so a restarted sender starts a new series instead of looking like a gap.
 */
export interface HopStamp {
  sender: string;
  sequence: number;
}

/** A run of messages a subscriber never received from one sender on one topic. */
export interface Gap {
  sender: string;
  topic: string;
  /** How many messages are missing. */
  missed: number;
  /** The sequence numbers of the first and last missing message. */
  firstMissing: number;
  lastMissing: number;
}

/** Numbers outbound messages per topic for one sending hop. */
export interface SequenceCounter {
  readonly sender: string;
  /** The metadata frame for the next message on `topic`. */
  next(topic: string): string;
}

/** Creates a counter with a fresh random sender id. */
export function createSequenceCounter(): SequenceCounter {
  const sender = randomBytes(8).toString("hex");
  const counters = new Map<string, number>();
  return {
    sender,
    next(topic) {
      const sequence = (counters.get(topic) ?? 0) + 1;
      counters.set(topic, sequence);
      return `seq ${sender} ${sequence}`;
    },
  };
}

const stampPattern = /^seq ([0-9a-f]{1,64}) ([1-9][0-9]{0,15})$/;

/** Reads a metadata frame; undefined when it is not a sequence stamp (receivers ignore such frames). */
export function parseHopStamp(frame: string): HopStamp | undefined {
  const match = stampPattern.exec(frame);
  if (match === null) return undefined;
  return { sender: match[1]!, sequence: Number(match[2]) };
}

/** Follows the sequence numbers of every sender and topic and reports gaps. */
export interface GapTracker {
  /** Records one received message; returns the gap before it, if any. */
  observe(topic: string, stamp: HopStamp): Gap | undefined;
  /**
   * Records a heartbeat: the sender's latest number on `topic`. Every number after the last one
   * received, up to it, is missing. A series not followed yet is not started by a heartbeat.
   */
  observeLatest(topic: string, stamp: HopStamp): Gap | undefined;
  /**
   * Follows a series from a number received before a restart (a store's high-water mark): the
   * next message or heartbeat is judged against it instead of starting the series.
   */
  resume(topic: string, stamp: HopStamp): void;
}

/**
 * Creates a {@link GapTracker}. The first number seen from a sender on a topic is the baseline:
 * what was sent before the subscriber joined is not loss. At most `maxSeries` (sender, topic) pairs
 * are followed, the first seen forgotten first.
 */
export function createGapTracker(maxSeries = 100_000): GapTracker {
  const last = new Map<string, number>();
  return {
    resume(topic, stamp) {
      const key = `${stamp.sender}\u0000${topic}`;
      if (stamp.sequence <= (last.get(key) ?? 0)) return;
      last.set(key, stamp.sequence);
      if (last.size > maxSeries) last.delete(last.keys().next().value as string);
    },
    observeLatest(topic, stamp) {
      const key = `${stamp.sender}\u0000${topic}`;
      const previous = last.get(key);
      if (previous === undefined || stamp.sequence <= previous) return undefined;
      last.set(key, stamp.sequence);
      return {
        sender: stamp.sender,
        topic,
        missed: stamp.sequence - previous,
        firstMissing: previous + 1,
        lastMissing: stamp.sequence,
      };
    },
    observe(topic, stamp) {
      const key = `${stamp.sender}\u0000${topic}`;
      const previous = last.get(key);
      if (previous !== undefined && stamp.sequence <= previous) return undefined;
      last.set(key, stamp.sequence);
      // Past the bound the oldest series is forgotten: its sender has most likely gone.
      if (previous === undefined && last.size > maxSeries) last.delete(last.keys().next().value as string);
      if (previous === undefined || stamp.sequence === previous + 1) return undefined;
      return {
        sender: stamp.sender,
        topic,
        missed: stamp.sequence - previous - 1,
        firstMissing: previous + 1,
        lastMissing: stamp.sequence - 1,
      };
    },
  };
}
