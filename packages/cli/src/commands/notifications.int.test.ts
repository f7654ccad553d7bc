import { appendFileSync } from "node:fs";
import { join } from "node:path";
import {
  createCleanup,
  freePort,
  metricSample,
  publishWithHerald,
  runHerald,
  startHerald,
  startTestBus,
  until,
} from "@herald/test-support";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

/** A real SMTP server in the test (the smtp-server package), keeping every mail it is given, parsed. */
async function startSmtp(): Promise<{ port: number; mails: ParsedMail[] }> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port, mails };
}

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text);

describe("herald notifications", () => {
  it("mails a user once for a message naming them and never for others; a digest batches a burst; the page edits rules", async () => {
    const smtp = await startSmtp();
    const bus = await startTestBus({
      keyid: "git.notify01",
      topics: ["org.example.*.git.#", "org.example.*.account.#"],
    });
    cleanup.add(() => bus.relay?.stop());
    const http = await freePort();
    const db = `sqlite:${join(bus.dir, "prefs.sqlite")}`;
    appendFileSync(
      bus.config,
      `[notifications]\ndb = "${db}"\nfrom = "herald@example.org"\npublic_url = "http://127.0.0.1:${http}"\n`,
    );
    const prefs = async (...args: string[]) => {
      const result = await runHerald(["prefs", ...args, "--config", bus.config]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      return result.stdout;
    };
    await prefs("contact", "alice", "--email", "alice@example.org");
    expect(await prefs("add", "alice", "--about-me", "--delivery", "email")).toMatch(
      /^added #1: about me by email, at once/,
    );
    await prefs("contact", "bob", "--email", "bob@example.org");
    await prefs("add", "bob", "--package", "herald", "--delivery", "email", "--digest", "3s");

    const service = await bus.joined(() =>
      startHerald([
        "notifications",
        "--config",
        bus.config,
        "--smtp",
        `smtp://127.0.0.1:${smtp.port}`,
        "--http",
        String(http),
      ]),
    );
    cleanup.add(() => service.stop());
    await service.waitFor(/ready/);

    const publish = async (topic: string, data: object) => {
      const result = await publishWithHerald(bus.config, topic, data);
      expect(result.code).toBe(0);
    };
    const rev = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";
    // One burst, published at once: each `herald publish` is a process that takes about a second
    // to start on a loaded machine, and bob's digest window is 3 s.
    await Promise.all([
      publish("git.tag.create", { repo: "herald", tag: "v1", rev, username: "alice" }),
      publish("account.user.create", { username: "erin" }),
      ...["v2", "v3", "v4"].map((tag) => publish("git.tag.create", { repo: "herald", tag, rev, username: "carol" })),
      publish("git.tag.create", { repo: "kernel", tag: "v6", rev, username: "carol" }),
    ]);

    await until(() => smtp.mails.some((mail) => to(mail) === "bob@example.org"), "bob's digest", 15_000);
    // Every message read, nothing left waiting, every mail sent and received: no extra mail can
    // still come (the service's own counters say so, not a pause).
    const reading = async (name: string, part: string) =>
      metricSample(await (await fetch(`http://127.0.0.1:${http}/metrics`)).text(), name, { part }) ?? 0;
    await until(
      async () =>
        (await reading("herald_messages_in_total", "subscription")) >= 6 &&
        (await reading("herald_queue_depth", "delivery")) === 0 &&
        (await reading("herald_messages_out_total", "delivery")) >= 5 &&
        smtp.mails.length >= 2,
      "every message handled and its mail received",
      15_000,
    );
    const alices = smtp.mails.filter((mail) => to(mail) === "alice@example.org");
    expect(alices).toHaveLength(1);
    expect(alices[0]?.subject).toBe("[Herald] alice tagged herald v1");
    expect(alices[0]?.from?.text).toBe("herald@example.org");
    expect(alices[0]?.text).toContain(`http://127.0.0.1:${http}/prefs?user=alice&token=`);
    expect(alices[0]?.headers.get("auto-submitted")).toBe("auto-generated");
    const unsubscribe = alices[0]?.headerLines.find((header) => header.key === "list-unsubscribe")?.line;
    expect(unsubscribe?.replace(/\r\n\s+/g, " ")).toMatch(
      /^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/prefs\?user=alice&token=/,
    );
    const bobs = smtp.mails.filter((mail) => to(mail) === "bob@example.org");
    expect(bobs).toHaveLength(1);
    expect(bobs[0]?.subject).toBe("[Herald] 4 notifications for bob");
    for (const tag of ["v1", "v2", "v3", "v4"]) expect(bobs[0]?.text).toContain(`tagged herald ${tag}`);
    expect(bobs[0]?.text).not.toContain("kernel");
    expect(smtp.mails).toHaveLength(2);

    const metrics = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text();
    expect(metricSample(metrics, "herald_messages_out_total", { part: "delivery" })).toBe(5);

    // The preferences page, reached through the link: it shows the rules and adds one.
    const link = (await prefs("link", "alice")).trim();
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("about me by email, at once");
    const forged = new URL(link);
    forged.searchParams.set("user", "bob");
    expect((await fetch(forged)).status).toBe(403);
    const token = new URL(link).searchParams.get("token") ?? "";
    const form = new URLSearchParams({
      user: "alice",
      token,
      action: "add",
      apps: "wiki",
      delivery: "irc",
      digest: "1h",
    });
    const added = await fetch(`http://127.0.0.1:${http}/prefs`, { method: "POST", body: form, redirect: "manual" });
    expect(added.status).toBe(303);
    const next = new URL(added.headers.get("location") ?? "", link);
    expect(next.searchParams.get("notice")).toBe("Rule added: apps wiki by irc, digest every 1h.");
    const shown = JSON.parse(await prefs("show", "alice", "--json")) as { rules: { delivery: string }[] };
    expect(shown.rules.map((rule) => rule.delivery)).toEqual(["email", "irc"]);

    // Addresses that would smuggle IRC commands or mail headers are refused where they are stored,
    // and a form posted from another site's page changes nothing.
    const contact = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${http}/prefs`, {
        method: "POST",
        body: new URLSearchParams({ user: "alice", token, action: "contact", email: "", irc_nick: "", ...fields }),
        headers,
        redirect: "manual",
      });
    const nick = await contact({ irc_nick: "victim\r\nPRIVMSG #secret :hi\r\nJOIN #secret" });
    expect(nick.status).toBe(400);
    expect(await nick.text()).toContain("irc_nick: ");
    const bcc = await contact({ email: "alice@example.org\r\nBcc: victim@example.org" });
    expect(bcc.status).toBe(400);
    expect((await contact({ irc_nick: "alice_" }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await contact({ irc_nick: "alice_" }, { origin: `http://127.0.0.1:${http}` })).status).toBe(303);
    const addresses = await prefs("show", "alice");
    expect(addresses).toContain("e-mail (none), IRC alice_");
  }, 90_000);

  it("refuses addresses that are not one plain address or nick, in one line", async () => {
    const bus = await startTestBus({ keyid: "git.notify03", relay: false });
    const db = `sqlite:${join(bus.dir, "prefs.sqlite")}`;
    for (const [flag, value, key] of [
      ["--email", "not-an-email", "email"],
      ["--email", "a@example.org, b@example.org", "email"],
      ["--irc-nick", "bad nick", "irc_nick"],
      ["--irc-nick", "x".repeat(31), "irc_nick"],
    ] as const) {
      const result = await runHerald(["prefs", "contact", "dora", flag, value, "--db", db, "--config", bus.config]);
      expect([result.code, result.stderr.split("\n").length]).toEqual([2, 2]);
      expect(result.stderr).toMatch(new RegExp(`^herald: ${key}: `));
    }
  });

  it("refuses a rule with no condition, in one line", async () => {
    const bus = await startTestBus({ keyid: "git.notify02", relay: false });
    const result = await runHerald([
      "prefs",
      "add",
      "dora",
      "--delivery",
      "email",
      "--db",
      `sqlite:${join(bus.dir, "prefs.sqlite")}`,
      "--config",
      bus.config,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("herald: rule: give at least one condition: topics, apps, packages or about-me\n");
    // Events and apps the catalogue does not know: a rule that would never match is refused.
    const add = (...args: string[]) =>
      runHerald([
        "prefs",
        "add",
        "dora",
        "--delivery",
        "email",
        ...args,
        "--db",
        `sqlite:${join(bus.dir, "prefs.sqlite")}`,
        "--config",
        bus.config,
      ]);
    for (const [args, line] of [
      [
        ["--topic", "wiki.page.edit"],
        "herald: --topic wiki.page.edit: no known event matches it (did you mean wiki.page.delete?); known events are listed by herald schema list\n",
      ],
      [
        ["--topic", "shop.#"],
        "herald: --topic shop.#: no known event matches it; known events are listed by herald schema list\n",
      ],
      [
        ["--app", "gti"],
        "herald: --app gti: no such app (did you mean git?); known apps: account, bugzilla, buildsys, git, logger, mirror, wiki\n",
      ],
    ] as const) {
      const refused = await add(...args);
      expect([refused.code, refused.stderr]).toEqual([2, line]);
    }
    const accepted = await add("--topic", "wiki.#", "--app", "git");
    expect([accepted.code, accepted.stdout]).toEqual([0, "added #1: topics wiki.# and apps git by email, at once\n"]);
  });
});
