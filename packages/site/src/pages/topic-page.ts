import { type ConsumerDoc, consumersOf } from "../consumers.js";
import { html, rawHtml, type SafeHtml } from "../html.js";
import { iconSvg } from "../icons.js";
import type { IntegrationDoc } from "../integrations.js";
import { schemaFilePath, type TopicDoc, type VersionDoc } from "../topic-model.js";
import { layout } from "./layout.js";

/**
 * A topic's page: what it means, who emits it, then every version (newest first) with its field
 * table, the changes from the version before, the example rendered and as JSON, the generated
 * TypeScript type; and how to subscribe.
 */
export function topicPage(
  topic: TopicDoc,
  integrations: readonly IntegrationDoc[],
  siteTitle = "Herald topics",
  consumers: readonly ConsumerDoc[] = [],
): string {
  const newest = topic.versions[topic.versions.length - 1] as VersionDoc;
  const emitters = integrations.filter((integration) => integration.topics.some((entry) => entry === topic.name));
  const { handledBy, publishedBy } = consumersOf(topic.name, consumers);
  const body = html`<main>
<p><a href="index.html">Topics</a> › ${topic.app}</p>
<h1 class="app-heading">${rawHtml(iconSvg(topic.icon))} <code>${topic.name}</code></h1>
<p class="lead">${topic.description}</p>
<div class="meta">
<span>app <strong>${topic.app}</strong></span>
<span>published by <strong>${topic.emittedBy}</strong>${emitters.map((integration) => html` (<code>${integration.package}</code>)`)}${publishedBy.map((consumer) => html`, hub consumer <strong>${consumer.name}</strong>`)}</span>
<span>consumed by ${handledBy.length === 0 ? html`no declared consumer` : handledBy.map((consumer, index) => html`${index > 0 ? ", " : ""}<strong>${consumer.name}</strong> (<code>${consumer.module}</code>)`)}</span>
<span>versions ${topic.versions.map((version, index) => html`${index > 0 ? ", " : ""}<a href="#v${version.version}">${version.version}</a>`)}</span>
<span>topic <code>&lt;prefix&gt;.&lt;environment&gt;.${topic.name}</code></span>
</div>
<div class="summary-line">${rawHtml(iconSvg(topic.icon))}<span>${newest.summary}</span>${newest.link === undefined ? "" : html`<a href="${newest.link}">${newest.link}</a>`}</div>

${[...topic.versions].reverse().map((version) => versionSection(topic, version))}

<h2 id="subscribe">Subscribe</h2>
<div class="two">
<div>
<h3>From the command line</h3>
<pre><code>herald tail --topic 'org.example.*.${topic.name}' --trust trust.json
herald trigger --topic 'org.example.prod.${topic.name}' -- ./on-${topic.name.replaceAll(".", "-")}.sh</code></pre>
<h3>As a hosted consumer</h3>
<pre><code>import { defineConsumer } from "@herald/hub";
import type { TopicMap } from "${topic.typesFrom}";${topic.typesFrom.startsWith(".") ? " // herald codegen --schemas DIR --out topic-map.ts" : ""}

export default defineConsumer&lt;TopicMap&gt;({
  name: "my-consumer",
  topics: ["${topic.name}"],
  async handle(message, { signal }) {
    const data = message.data; // ${newest.typeName}
  },
});</code></pre>
</div>
<div>
<h3>With the SDK</h3>
<pre><code>import { createBus, loadTrustFile } from "@herald/sdk";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { loadSchemaCatalogue } from "@herald/schemas";
import type { TopicMap } from "${topic.typesFrom}";

const bus = createBus&lt;TopicMap&gt;({
  schemas: loadSchemaCatalogue().registry, // data that breaks its schema is refused
  transport: await createZeroMqTransport({ connect: ["tcp://127.0.0.1:9941"] }),
  trust: loadTrustFile("trust.json"),
  prefix: "org.example",
  environment: "prod",
});
for await (const message of await bus.subscribe({ events: ["${topic.name}"] })) {
  const data = message.data; // ${newest.typeName}
}</code></pre>
</div>
</div>
</main>`;
  return layout({ title: topic.name, siteTitle, root: "../", current: "topics", body });
}

function versionSection(topic: TopicDoc, version: VersionDoc): SafeHtml {
  return html`<h2 id="v${version.version}">Version ${version.version} <span class="badge">${version.dataschema}</span></h2>
<p class="schema-file">JSON Schema: <a href="../${schemaFilePath(topic.name, version.version)}">${schemaFilePath(topic.name, version.version)}</a></p>
${version.description === topic.description ? "" : html`<p>${version.description}</p>`}
<h3 id="v${version.version}-fields">Fields</h3>
<table class="fields">
<tr><th>field</th><th>type</th><th>required</th><th>description</th><th>constraints</th></tr>
${version.fields.map(
  (field) =>
    html`<tr><td><code>${field.path}</code></td><td><code>${field.type}</code></td><td>${field.required ? html`<span class="badge ok">required</span>` : "optional"}</td><td>${field.description}</td><td>${field.constraints.join("; ")}</td></tr>`,
)}
</table>
${changesOf(version)}
<div class="two">
<div>
<h3 id="v${version.version}-example">Example</h3>
<div class="summary-line">${rawHtml(iconSvg(topic.icon))}<span>${version.summary}</span></div>
<p>${version.usernames.length > 0 ? html`users ${version.usernames.map((user) => html`<span class="badge">${user}</span> `)}` : ""}${version.packages.length > 0 ? html` packages ${version.packages.map((name) => html`<span class="badge">${name}</span> `)}` : ""}</p>
<pre><code>${JSON.stringify(version.example, null, 2)}</code></pre>
</div>
<div>
<h3 id="v${version.version}-type">TypeScript</h3>
<pre><code>${version.typeScript}</code></pre>
</div>
</div>`;
}

function changesOf(version: VersionDoc): SafeHtml | string {
  if (version.changes === undefined) return "";
  return html`<h3 id="v${version.version}-changes">Changes from the previous version</h3>
${
  version.changes.length === 0
    ? html`<p>Only annotations changed.</p>`
    : html`<table><tr><th>where</th><th>rule</th><th>change</th><th></th></tr>${version.changes.map(
        (change) =>
          html`<tr><td><code>${change.path}</code></td><td><code>${change.rule}</code></td><td>${change.detail}</td><td>${change.breaking ? html`<span class="badge bad">breaking</span>` : html`<span class="badge ok">compatible</span>`}</td></tr>`,
      )}</table>`
}`;
}
