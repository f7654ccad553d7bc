import { compileTopicPatterns, isValidTopicPattern } from "@herald/sdk";
import type { StreamFilters, StreamItem } from "./stream-item.js";

/** Bounds on what one browser may ask for, so no client can make matching cost the others. */
export const filterLimits = { patterns: 20, patternLength: 128, patternTokens: 16, values: 50, valueLength: 64 };

/** No conditions: every message. */
export const noFilters: StreamFilters = { topics: [], apps: [], users: [] };

/**
 * Checks and normalizes filters a browser sent: known keys only, arrays of short strings, valid
 * topic patterns. Returns an error message for anything else, so a bad frame gets an answer
 * rather than closing the stream.
 */
export function parseFilters(frame: unknown): StreamFilters | string {
  if (typeof frame !== "object" || frame === null) return "a filter frame is a JSON object";
  const value = frame as Record<string, unknown>;
  const unknownKey = Object.keys(value).find((key) => !["type", "topics", "apps", "users"].includes(key));
  if (unknownKey !== undefined) return `unknown key ${JSON.stringify(unknownKey)} (type, topics, apps, users)`;
  const list = (key: keyof StreamFilters, most: number, longest: number): string[] | string => {
    const items = value[key] ?? [];
    if (
      !Array.isArray(items) ||
      items.length > most ||
      !items.every((item) => typeof item === "string" && item.length <= longest)
    )
      return `${key} must be a list of at most ${most} strings of at most ${longest} characters`;
    return items.map((item) => item.trim()).filter(Boolean);
  };
  const topics = list("topics", filterLimits.patterns, filterLimits.patternLength);
  const apps = list("apps", filterLimits.values, filterLimits.valueLength);
  const users = list("users", filterLimits.values, filterLimits.valueLength);
  for (const result of [topics, apps, users]) if (typeof result === "string") return result;
  const long = (topics as string[]).find((pattern) => pattern.split(".").length > filterLimits.patternTokens);
  if (long !== undefined) return `${JSON.stringify(long)} has more than ${filterLimits.patternTokens} tokens`;
  const bad = (topics as string[]).find((pattern) => !isValidTopicPattern(pattern));
  if (bad !== undefined) return `${JSON.stringify(bad)} is not a topic pattern (e.g. git.# or org.example.*.wiki.#)`;
  return { topics: topics as string[], apps: apps as string[], users: users as string[] };
}

/** Compiles filters once per change, not per message. */
export function compileFilters(filters: StreamFilters): (item: StreamItem) => boolean {
  const topics = filters.topics.length === 0 ? undefined : compileTopicPatterns(filters.topics);
  const apps = new Set(filters.apps);
  const users = new Set(filters.users);
  return (item) =>
    (topics === undefined || topics(item.topic) || topics(item.event)) &&
    (apps.size === 0 || apps.has(item.app)) &&
    (users.size === 0 || item.usernames.some((user) => users.has(user)));
}
