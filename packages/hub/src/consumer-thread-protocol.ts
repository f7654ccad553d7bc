import type { AnyConsumerMessage } from "./define-consumer.js";

/** What the hub hands a consumer's thread when it starts it. */
export interface ThreadData {
  /** The consumer's module: an absolute path or a package name. */
  module: string;
  settings: Readonly<Record<string, unknown>>;
  /** Whether `context.publish` exists: the hub signs and sends, the key never enters the thread. */
  canPublish: boolean;
}

/** Hub → thread. */
export type ToThread =
  | { type: "handle"; id: number; attempt: number; message: AnyConsumerMessage }
  | { type: "abort"; id: number; reason: string }
  | { type: "published"; call: number; error?: string }
  | { type: "ping"; ping: number };

/** Thread → hub. */
export type FromThread =
  | { type: "ready" }
  | { type: "done"; id: number }
  | { type: "failed"; id: number; error: string }
  | { type: "log"; level: "info" | "warn" | "error"; text: string }
  | { type: "publish"; call: number; event: string; data: object }
  | { type: "pong"; ping: number };
