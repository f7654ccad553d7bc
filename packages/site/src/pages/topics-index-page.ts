import { html, rawHtml } from "../html.js";
import { iconSvg } from "../icons.js";
import type { TopicDoc } from "../topic-model.js";
import { layout } from "./layout.js";

/** Every topic in one table: name, app, versions, what it means. */
export function topicsIndexPage(topics: readonly TopicDoc[], siteTitle = "Herald topics"): string {
  const body = html`<main>
<h1>Topics</h1>
<p class="lead">Every topic of the registry, with its schema versions. The full topic puts a prefix and an environment in front: <code>org.example.prod.git.receive</code>.</p>
<table>
<tr><th></th><th>topic</th><th>app</th><th>versions</th><th>description</th></tr>
${topics.map(
  (topic) =>
    html`<tr><td>${rawHtml(iconSvg(topic.icon))}</td><td><a href="${topic.name}.html"><code>${topic.name}</code></a></td><td>${topic.app}</td><td>${topic.versions.map((version) => version.version).join(", ")}</td><td>${topic.description}</td></tr>`,
)}
</table>
</main>`;
  return layout({ title: "Topics", siteTitle, root: "../", current: "topics", body });
}
