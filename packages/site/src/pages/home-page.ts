import type { SchemaSource } from "@herald/schemas";
import { html, rawHtml } from "../html.js";
import { iconSvg } from "../icons.js";
import type { IntegrationDoc } from "../integrations.js";
import type { SiteSettings } from "../site-config.js";
import { type TopicDoc, topicPath } from "../topic-model.js";
import { layout } from "./layout.js";

/** Where the site's topics come from, as `herald schema list` names its sources. */
export type SiteSource = Pick<SchemaSource, "kind" | "name">;

const sourceLabel = (source: SiteSource) =>
  source.kind === "built-in" ? html`the built-in catalogue` : html`${source.kind} <code>${source.name}</code>`;

/** The home page: the adopter's title and introduction, where to connect, naming, integrations, topics by app. */
export function homePage(
  topics: readonly TopicDoc[],
  integrations: readonly IntegrationDoc[],
  site: SiteSettings,
  sources: readonly SiteSource[] = [],
): string {
  const zeromq = site.servers.find((server) => server.url.startsWith("tcp://"))?.url ?? "tcp://127.0.0.1:9941";
  const firstTopic = topics[0]?.name ?? "git.receive";
  const apps = [...new Set(topics.map((topic) => topic.app))];
  const body = html`<main>
<section class="hero">
<div>
<h1>${site.title}</h1>
<p class="lead">${site.introduction}</p>
<p>This site is generated from the topic registry: every topic, every version, what it carries and what a real one looks like. It describes exactly what the SDK checks.</p>
</div>
<ul class="facts">
<li><strong>${topics.length} topics</strong> from ${apps.length} apps, ${topics.reduce((sum, topic) => sum + topic.versions.length, 0)} schema versions</li>
<li><strong>Ed25519 signatures</strong> on every message, checked against a trust file</li>
<li><strong>ZeroMQ</strong> without a broker, or <strong>RabbitMQ</strong> for fleets</li>
<li><a href="asyncapi.json">AsyncAPI 3.0 document</a> of the whole registry</li>
</ul>
</section>

<h2 id="connect">Connect</h2>
<table>
<tr><th>server</th><th>address</th><th>what it is</th></tr>
${site.servers.map((server) => html`<tr><td>${server.name}</td><td><code>${server.url}</code></td><td>${server.description ?? ""}</td></tr>`)}
</table>
<div class="two">
<div>
<p>Watch the bus, verified against your trust file:</p>
<pre><code>npm install @herald/cli
npx herald tail --connect ${zeromq} --trust trust.json</code></pre>
<p>Make an app's own topics known to every subscriber:</p>
<pre><code>npx herald schema init myapp        # a schema package: sources, types, tests, CI check
npx herald schema publish json --registry http://registry:8790 --key myapp.pem --keyid myapp</code></pre>
</div>
<div>
<p>In code, typed by these topics:</p>
<pre><code>import { createBus, loadTrustFile } from "@herald/sdk";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { loadSchemaCatalogue, type TopicMap } from "@herald/schemas";

const bus = createBus&lt;TopicMap&gt;({
  schemas: loadSchemaCatalogue().registry,
  transport: await createZeroMqTransport({ connect: ["${zeromq}"] }),
  trust: loadTrustFile("trust.json"),
  prefix: "org.example",
  environment: "prod",
});
for await (const message of await bus.subscribe({ events: ["${firstTopic}"] })) {
  console.log(message.event, message.data);
}</code></pre>
</div>
</div>
${
  sources.length === 0
    ? ""
    : html`<p>The topics come from ${sources.map((source, index) => html`${index > 0 ? ", " : ""}${sourceLabel(source)}`)}.</p>`
}

<h2 id="naming">The naming scheme</h2>
<p>A topic reads <code>&lt;prefix&gt;.&lt;environment&gt;.&lt;app&gt;.&lt;object&gt;.&lt;past-tense verb&gt;</code>, for example <code>org.example.prod.git.receive</code> or <code>org.example.stg.wiki.article.edit</code>:</p>
<table>
<tr><th>part</th><th>example</th><th>meaning</th></tr>
<tr><td>prefix</td><td><code>org.example</code></td><td>the organisation's reversed domain: one bus can carry several</td></tr>
<tr><td>environment</td><td><code>prod</code>, <code>stg</code>, <code>dev</code></td><td>which deployment sent it</td></tr>
<tr><td>app</td><td><code>git</code>, <code>wiki</code></td><td>the emitting application; its key may sign only its own topics</td></tr>
<tr><td>object and verb</td><td><code>article.edit</code></td><td>what happened to what, in the past tense</td></tr>
</table>
<p>The part after the environment is the <em>schema name</em> (<code>wiki.article.edit</code>); each message's <code>dataschema</code> names the exact version, <code>herald:wiki.article.edit/1.1</code>. A minor version only adds optional fields; anything else is a new major. Subscribers match with <code>*</code> (one word) and <code>#</code> (any number): <code>org.example.*.git.#</code>.</p>

<h2 id="integrations">Integrations</h2>
<table>
<tr><th>app</th><th>package</th><th>topics</th><th>installed with</th><th>tested against</th></tr>
${integrations.map(
  (integration) =>
    html`<tr><td>${integration.app}</td><td><code>${integration.package}</code></td><td>${integration.topics.map(
      (topic, index) => {
        const name = topic.split(" ")[0] ?? topic;
        const known = topics.some((doc) => doc.name === name);
        return html`${index > 0 ? ", " : ""}${known ? html`<a href="${topicPath(name)}"><code>${topic}</code></a>` : html`<code>${topic}</code>`}`;
      },
    )}</td><td><code>${integration.install}</code></td><td>${integration.tested}</td></tr>`,
)}
</table>

<h2 id="topics">Topics</h2>
${apps.map(
  (app) => html`<h3 class="app-heading">${app}</h3>
<div class="topic-grid">${topics
    .filter((topic) => topic.app === app)
    .map(
      (topic) =>
        html`<a class="topic-card" href="${topicPath(topic.name)}">${rawHtml(iconSvg(topic.icon))}<div><strong>${topic.name}</strong><span>${topic.description}</span></div></a>`,
    )}</div>`,
)}
</main>`;
  return layout({ title: "Overview", siteTitle: site.title, root: "", current: "home", body });
}
