import type { IncomingMessage, ServerResponse } from "node:http";
import { HeraldError } from "@herald/sdk";
import { type HttpRoute, originAllowed } from "@herald/sdk/internal";
import { preferencesUrl, tokenMatches } from "./preferences-link.js";
import type { PreferencesStore, UserContact } from "./preferences-store.js";
import { type Delivery, deliveries, describeRule, parseDuration, type Rule } from "./rule.js";

const digestChoices: [label: string, value: string][] = [
  ["at once", "0"],
  ["every 5 minutes", "5m"],
  ["every hour", "1h"],
  ["every day", "1d"],
];

/**
 * The page where a user edits their own rules and addresses: `GET /prefs?user=…&token=…` shows
 * them, `POST /prefs` (an HTML form) changes them. The token (from `herald prefs link` or any
 * notification e-mail) is the user's key to the page; a wrong one gets 403.
 */
export function preferencesPage(store: PreferencesStore, publicUrl: string): HttpRoute {
  return (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== "/prefs") return false;
    if (request.method === "GET") {
      respond(response, () => showPage(store, url.searchParams));
      return true;
    }
    if (request.method === "POST") {
      respond(response, async () => {
        // A form posted from another site's page (cross-site request forgery) changes nothing.
        if (!originAllowed(request, [new URL(publicUrl).origin]))
          throw Object.assign(new Error("this form can only be sent from this page"), { status: 403 });
        const form = new URLSearchParams(await readBody(request));
        const notice = await change(store, form);
        // Back to the page (303: the browser GETs it), carrying what happened.
        const next = new URL(preferencesUrl(publicUrl, await store.secret(), form.get("user") ?? ""));
        next.searchParams.set("notice", notice);
        return { status: 303, location: `${next.pathname}${next.search}` };
      });
      return true;
    }
    return false;
  };
}

type PageResult = { status: number; html?: string; location?: string };

function respond(response: ServerResponse, work: () => Promise<PageResult>) {
  work().then(
    (result) => {
      if (result.location !== undefined) response.writeHead(result.status, { location: result.location }).end();
      else response.writeHead(result.status, { "content-type": "text/html; charset=utf-8" }).end(result.html);
    },
    (error: Error) => {
      const status =
        (error as { status?: number }).status ??
        (HeraldError.isInstance(error) && error.code === "E_CONFIG" ? 400 : 500);
      response
        .writeHead(status, { "content-type": "text/html; charset=utf-8" })
        .end(
          page(
            "Not changed",
            `<p class="error">${escapeHtml(error.message)}</p><p><a href="javascript:history.back()">Back</a></p>`,
          ),
        );
    },
  );
}

async function authorised(store: PreferencesStore, params: URLSearchParams): Promise<string> {
  const user = params.get("user") ?? "";
  const token = params.get("token") ?? "";
  if (user === "" || !tokenMatches(await store.secret(), user, token))
    throw Object.assign(new Error("this link is not valid: ask for a new one with herald prefs link USER"), {
      status: 403,
    });
  return user;
}

async function showPage(store: PreferencesStore, params: URLSearchParams): Promise<PageResult> {
  let user: string;
  try {
    user = await authorised(store, params);
  } catch (error) {
    return {
      status: 403,
      html: page("Link not valid", `<p class="error">${escapeHtml((error as Error).message)}</p>`),
    };
  }
  const contact = (await store.contact(user)) ?? { name: user, email: null, ircNick: null };
  const rules = await store.rules(user);
  const notice = params.get("notice");
  const token = params.get("token") ?? "";
  return { status: 200, html: page(`Notifications for ${user}`, body(contact, rules, token, notice)) };
}

async function change(store: PreferencesStore, form: URLSearchParams): Promise<string> {
  const user = await authorised(store, form);
  const list = (name: string) =>
    (form.get(name) ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  switch (form.get("action")) {
    case "contact":
      await store.setContact(user, { email: form.get("email") || null, ircNick: form.get("irc_nick") || null });
      return "Addresses saved.";
    case "add": {
      const rule = await store.addRule(user, {
        topics: list("topics"),
        apps: list("apps"),
        packages: list("packages"),
        aboutMe: form.get("about_me") === "on",
        delivery: (form.get("delivery") ?? "") as Delivery,
        digestSeconds: parseDuration(form.get("digest") ?? "0"),
      });
      return `Rule added: ${describeRule(rule)}.`;
    }
    case "remove":
      return (await store.removeRule(user, Number(form.get("id")))) ? "Rule removed." : "No such rule.";
    default:
      throw new HeraldError("E_CONFIG", "unknown action");
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 65_536) request.destroy(new Error("form too large"));
    });
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });
}

function body(contact: UserContact, rules: Rule[], token: string, notice: string | null): string {
  const hidden = `<input type="hidden" name="user" value="${escapeHtml(contact.name)}"><input type="hidden" name="token" value="${escapeHtml(token)}">`;
  const ruleRows = rules
    .map(
      (rule) => `<li><span>${escapeHtml(describeRule(rule))}</span>
      <form method="post" action="/prefs">${hidden}<input type="hidden" name="action" value="remove"><input type="hidden" name="id" value="${rule.id}"><button aria-label="remove rule ${rule.id}">Remove</button></form></li>`,
    )
    .join("\n");
  return `
${notice === null ? "" : `<p class="notice" role="status">${escapeHtml(notice)}</p>`}
<section><h2>Where to reach you</h2>
<form method="post" action="/prefs">${hidden}<input type="hidden" name="action" value="contact">
<label>E-mail <input type="email" name="email" value="${escapeHtml(contact.email ?? "")}"></label>
<label>IRC nick <input name="irc_nick" value="${escapeHtml(contact.ircNick ?? "")}"></label>
<button>Save</button></form></section>
<section><h2>Your rules</h2>
${rules.length === 0 ? "<p>No rules yet: you get no notifications.</p>" : `<ul class="rules">${ruleRows}</ul>`}
</section>
<section><h2>Add a rule</h2>
<form method="post" action="/prefs" class="rule">${hidden}<input type="hidden" name="action" value="add">
<label><input type="checkbox" name="about_me"> Things about me (messages naming ${escapeHtml(contact.name)})</label>
<label>Topics <input name="topics" placeholder="git.#, wiki.page.edit"></label>
<label>Apps <input name="apps" placeholder="git, buildsys"></label>
<label>Packages I follow <input name="packages" placeholder="herald, kernel"></label>
<label>Delivery <select name="delivery">${deliveries.map((d) => `<option>${d}</option>`).join("")}</select></label>
<label>When <select name="digest">${digestChoices.map(([label, value]) => `<option value="${value}">${label}</option>`).join("")}</select></label>
<button>Add rule</button></form>
<p class="hint">Every condition you fill in must hold. E-mail is capped per hour; past the cap, notifications wait and come as one digest.</p>
</section>`;
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Herald</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}label{display:block;margin:.4rem 0}
input:not([type=checkbox]),select{font:inherit;padding:.25rem .4rem;margin-left:.4rem;min-width:16rem}
button{font:inherit;padding:.25rem .8rem;margin-top:.4rem}ul.rules{padding:0;list-style:none}
ul.rules li{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #d0d7de;padding:.3rem 0}
ul.rules form{margin:0}.notice{background:#ddf4ff;padding:.5rem}.error{background:#ffebe9;padding:.5rem}.hint{color:#59636e}
</style></head><body><h1>${escapeHtml(title)}</h1>${content}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
