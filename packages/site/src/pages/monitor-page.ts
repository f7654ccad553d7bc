import { html, rawHtml } from "../html.js";
import { iconSvg } from "../icons.js";
import { layout } from "./layout.js";

/** The icons of every topic, as an SVG sprite (`<use href="#icon-git-commit">`), plus the fallback. */
function iconSprite(icons: readonly string[]): string {
  const names = [...new Set([...icons, "message-square"])];
  const symbols = names.map((name) => {
    const svg = iconSvg(name);
    const inner = svg.slice(svg.indexOf(">") + 1, svg.lastIndexOf("</svg>"));
    return `<symbol id="icon-${name}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${inner}</symbol>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" style="display:none">${symbols.join("")}</svg>`;
}

/**
 * The live bus monitor, served by `herald gateway` at `/`: filters (topic pattern, app, user),
 * pause, a messages-per-second chart per app, the stream (a virtualized list) and the selected
 * message's JSON. Same header and stylesheet as the documentation site.
 */
export function monitorPage(icons: readonly string[] = [], siteTitle = "Herald topics"): string {
  const body = html`${rawHtml(iconSprite(icons))}
<main class="monitor">
<form class="controls" id="filters" autocomplete="off">
<label>Topic <input name="topics" placeholder="git.# or org.example.*.wiki.#" aria-label="topic pattern"></label>
<label>App <input name="apps" placeholder="git, wiki" aria-label="app"></label>
<label>User <input name="users" placeholder="alice" aria-label="user"></label>
<button type="submit">Filter</button>
<button type="button" id="pause" aria-pressed="false">Pause</button>
<span class="status" id="status" role="status">connecting…</span>
</form>
<section class="chart" aria-label="messages per second by app"><canvas id="rate" width="1200" height="90"></canvas><div class="legend" id="legend"></div></section>
<section class="stream" id="stream" aria-label="messages" tabindex="0"><div class="spacer" id="spacer"></div></section>
<aside class="detail" id="detail"><p>Select a message to see its envelope.</p></aside>
</main>`;
  return layout({
    title: "Live monitor",
    siteTitle,
    root: "",
    current: "monitor",
    body,
    scripts: ["assets/monitor.js"],
    search: false,
  });
}
