import { html, rawHtml } from "../html.js";
import { iconSvg } from "../icons.js";
import type { IntegrationDoc } from "../integrations.js";
import { type TopicDoc, topicPath } from "../topic-model.js";
import { layout } from "./layout.js";

/** The home page: what Herald is, quick start, naming scheme, integrations, topics by app. */
export function homePage(topics: readonly TopicDoc[], integrations: readonly IntegrationDoc[]): string {
  const apps = [...new Set(topics.map((topic) => topic.app))];
  const body = html`<main>
<section class="hero">
<div>
<h1>Signed events of your project, on one bus</h1>
<p class="lead">Herald carries small, signed, schema-validated JSON messages about what just happened — a commit was pushed, a build finished, a wiki page was edited, a mirror finished syncing — so that anything else can react: archives, notifications, chat bots, automation. It succeeds Fedora's fedmsg and fedora-messaging.</p>
<p>This site is generated from the topic registry: every topic, every version, what it carries and what a real one looks like. It describes exactly what the SDK checks.</p>
</div>
<ul class="facts">
<li><strong>${topics.length} topics</strong> from ${apps.length} apps, ${topics.reduce((sum, topic) => sum + topic.versions.length, 0)} schema versions</li>
<li><strong>Ed25519 signatures</strong> on every message, checked against a trust file</li>
<li><strong>ZeroMQ</strong> without a broker, or <strong>RabbitMQ</strong> for fleets</li>
<li><a href="asyncapi.json">AsyncAPI 3.0 document</a> of the whole registry</li>
</ul>
</section>

<h2 id="quick-start">Quick start</h2>
<div class="two">
<div>
<p>From a checkout, on a machine with Node.js 20:</p>
<pre><code>npm ci &amp;&amp; npm run demo    # a relay, a subscriber, messages flowing
npm test                  # the whole test suite</code></pre>
<p>Then publish and watch, signed:</p>
<pre><code>npx herald keygen git.pkgs01 --dir keys --trust trust.json
npx herald relay --trust trust.json &amp;
npx herald tail --trust trust.json &amp;
npx herald publish --topic git.tag.create --key keys/git.pkgs01.pem --keyid git.pkgs01 \\
  --data '{"repo":"herald","tag":"v1.0","rev":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3","username":"alice"}'</code></pre>
</div>
<div>
<p>In code, typed by this registry:</p>
<pre><code>import { createBus, loadTrustFile } from "@herald/sdk";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import type { TopicMap } from "@herald/schemas";

const bus = createBus&lt;TopicMap&gt;({
  transport: await createZeroMqTransport({ connect: ["tcp://127.0.0.1:9941"] }),
  trust: loadTrustFile("trust.json"),
});
for await (const message of await bus.subscribe(["org.example.*.git.#"])) {
  console.log(message.envelope.type, message.envelope.data);
}</code></pre>
</div>
</div>

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
  return layout({ title: "Overview", root: "", current: "home", body });
}
