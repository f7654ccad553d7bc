import type { TopicDoc } from "./topic-model.js";
import { topicPath } from "./topic-model.js";

/** One entry the client-side search looks through. */
export interface SearchEntry {
  /** What is shown: a topic name, or `topic › field`. */
  title: string;
  /** A line under it. */
  text: string;
  /** Relative to the site's root. */
  href: string;
  /** Lower-case words it is found by. */
  terms: string;
}

/** Topics and their fields (of every version, once each), for `assets/search.js`. */
export function searchIndex(topics: readonly TopicDoc[]): SearchEntry[] {
  const entries: SearchEntry[] = [];
  for (const topic of topics) {
    entries.push({
      title: topic.name,
      text: topic.description,
      href: topicPath(topic.name),
      terms: `${topic.name} ${topic.app} ${topic.description} ${topic.emittedBy}`.toLowerCase(),
    });
    const seen = new Set<string>();
    for (const version of [...topic.versions].reverse()) {
      for (const field of version.fields) {
        if (seen.has(field.path)) continue;
        seen.add(field.path);
        entries.push({
          title: `${topic.name} › ${field.path}`,
          text: `${field.type}${field.description === "" ? "" : ` — ${field.description}`}`,
          href: `${topicPath(topic.name)}#v${version.version}-fields`,
          terms: `${field.path} ${field.description} ${topic.name}`.toLowerCase(),
        });
      }
    }
  }
  return entries;
}
