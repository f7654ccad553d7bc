import { compileTopicPatterns, isValidTopicPattern } from "@herald/sdk";
import type { StreamFilters, StreamItem } from "./stream-item.js";

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
  const list = (key: keyof StreamFilters): string[] | string => {
    const items = value[key] ?? [];
    if (
      !Array.isArray(items) ||
      items.length > 50 ||
      !items.every((item) => typeof item === "string" && item.length <= 255)
    )
      return `${key} must be a list of at most 50 strings`;
    return items.map((item) => item.trim()).filter(Boolean);
  };
  const topics = list("topics");
  const apps = list("apps");
  const users = list("users");
  for (const result of [topics, apps, users]) if (typeof result === "string") return result;
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
