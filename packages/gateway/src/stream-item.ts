import type { Presentation } from "@herald/schemas";
import type { Envelope, ReceivedMessage } from "@herald/sdk";

/** What the gateway sends a browser for one message: the envelope and how to show it. */
export interface StreamItem {
  id: string;
  time: string;
  topic: string;
  /** The schema name (`git.receive`), or the topic when it is outside the prefix and environment. */
  event: string;
  app: string;
  /** The signing key's id, if signed. */
  signer: string | null;
  /** `valid`, `unsigned`, or (with `--insecure`) what verification said. */
  outcome: ReceivedMessage["outcome"];
  summary: string;
  icon: string;
  link: string | null;
  usernames: string[];
  packages: string[];
  severity: Presentation["severity"];
  envelope: Envelope;
}

/** Frames from the gateway to a browser. */
export type ServerFrame =
  | { type: "hello"; filters: StreamFilters; limit: number }
  | { type: "messages"; items: StreamItem[] }
  | { type: "dropped"; count: number }
  | { type: "error"; message: string };

/** What a browser asks to receive: every given condition must hold; empty lists mean "any". */
export interface StreamFilters {
  /** Topic patterns, matched against the full topic or the event name: `git.#`, `org.example.*.wiki.#`. */
  topics: string[];
  apps: string[];
  users: string[];
}

/** Frames from a browser: change the filters. */
export type ClientFrame = { type: "filter" } & Partial<StreamFilters>;
