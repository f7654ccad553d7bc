import { appendFileSync } from "node:fs";
import {
  appAvailable,
  createCleanup,
  freePort,
  listenOnIrc,
  metricSample,
  publishWithHerald,
  runHerald,
  startHerald,
  startNgircd,
  startTestBus,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

describe.skipIf(!appAvailable("ngircd"))("herald irc", () => {
  it("says at once, in one line, that the server refused a nick it finds too long", async () => {
    // ngircd's own default: nicks of at most 9 characters.
    const server = await startNgircd(undefined, { maxNickLength: 9 });
    cleanup.add(() => server.stop());
    const bus = await startTestBus({ keyid: "git.irc09", relay: false });
    appendFileSync(
      bus.config,
      [
        "[irc]",
        'server = "127.0.0.1"',
        `port = ${server.port}`,
        "tls = false",
        `nick = "${"h".repeat(20)}"`,
        "[[irc.channels]]",
        'name = "#herald"',
        'topics = ["org.example.#"]',
        "",
      ].join("\n"),
    );
    // It ends by itself with its line (a process runHerald had to kill shows no exit code), rather
    // than waiting for the server's registration timeout.
    const result = await runHerald(["irc", "--config", bus.config]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^herald: cannot join irc:\/\/127\.0\.0\.1:\d+: the server refused the nick "h{20}": 432 .+; choose a shorter nick in \[irc\] nick\n$/,
    );
  }, 30_000);

  it("posts a published message to the matching channel over TLS within 2 seconds, formatted, and reconnects", async () => {
    let server = await startNgircd();
    cleanup.add(() => server.stop());
    const bus = await startTestBus({ keyid: "git.irc01", topics: ["org.example.*.git.#", "org.example.*.account.#"] });
    cleanup.add(() => bus.relay?.stop());
    const http = await freePort();
    appendFileSync(
      bus.config,
      [
        "[irc]",
        'server = "localhost"',
        `port = ${server.tlsPort}`,
        "tls = true",
        'nick = "heraldbot"',
        `http_port = ${http}`,
        "[[irc.channels]]",
        'name = "#herald-git"',
        'topics = ["org.example.*.git.#"]',
        "[[irc.channels]]",
        'name = "#herald-people"',
        'apps = ["account"]',
        "",
      ].join("\n"),
    );
    const git = await listenOnIrc(server.port, "reader1", "#herald-git");
    const people = await listenOnIrc(server.port, "reader2", "#herald-people");
    cleanup.add(() => git.close());
    cleanup.add(() => people.close());

    const irc = await bus.joined(() =>
      startHerald(["irc", "--config", bus.config], { env: { NODE_EXTRA_CA_CERTS: server.certificates.ca } }),
    );
    cleanup.add(() => irc.stop());
    await irc.waitFor(/ready: heraldbot in #herald-git #herald-people/);

    const data = { repo: "herald", tag: "v2.0", rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username: "alice" };
    const result = await publishWithHerald(bus.config, "git.tag.create", data);
    expect(result.code).toBe(0);
    await until(() => git.heard.length === 1, "the line in #herald-git");
    const line = git.heard[0];
    expect(line?.from).toBe("heraldbot");
    // Bold, colored app tag, then the schema's summary line.
    expect(line?.text.startsWith("\x02\x0303[git]\x03\x02 alice tagged herald v2.0")).toBe(true);
    expect(people.heard).toHaveLength(0);

    const account = await publishWithHerald(bus.config, "account.user.create", { username: "erin" });
    expect(account.code).toBe(0);
    await until(() => people.heard.length === 1, "the line in #herald-people");
    expect(people.heard[0]?.text).toContain("new user erin");
    expect(git.heard).toHaveLength(1);

    const metrics = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text();
    expect(metricSample(metrics, "herald_messages_out_total", { part: "irc" })).toBe(2);

    // The server goes away and comes back on the same ports: the bot rejoins and posts again.
    git.close();
    people.close();
    await server.stop();
    await irc.waitFor(/lost ircs?:\/\/localhost/);
    expect((await fetch(`http://127.0.0.1:${http}/healthz`)).status).toBe(503);
    server = await startNgircd(server);
    const again = await listenOnIrc(server.port, "reader3", "#herald-git");
    cleanup.add(() => again.close());
    await irc.waitFor(/reconnected to/, 15_000);
    // Rejoined once it is healthy again (the bot is in its channels), not after a pause.
    await until(async () => (await fetch(`http://127.0.0.1:${http}/healthz`)).status === 200, "the bot healthy again");
    const retag = await publishWithHerald(bus.config, "git.tag.create", { ...data, tag: "v2.1" });
    expect(retag.code).toBe(0);
    await until(() => again.heard.length === 1, "the line after reconnecting");
    expect(again.heard[0]?.text).toContain("alice tagged herald v2.1");
  }, 90_000);
});

describe.skipIf(!appAvailable("ngircd"))("herald notifications over IRC", () => {
  it("sends a user's matches as private messages to their nick", async () => {
    const server = await startNgircd();
    cleanup.add(() => server.stop());
    const bus = await startTestBus({ keyid: "git.irc02" });
    cleanup.add(() => bus.relay?.stop());
    const http = await freePort();
    appendFileSync(
      bus.config,
      ["[irc]", 'server = "127.0.0.1"', `port = ${server.port}`, "tls = false", 'nick = "heraldnotify"', ""].join("\n"),
    );
    const db = ["--db", `sqlite:${bus.dir}/prefs.sqlite`, "--config", bus.config];
    expect((await runHerald(["prefs", "contact", "dave", "--irc-nick", "dave_irc", ...db])).code).toBe(0);
    expect((await runHerald(["prefs", "add", "dave", "--about-me", "--delivery", "irc", ...db])).code).toBe(0);
    const dave = await listenOnIrc(server.port, "dave_irc");
    cleanup.add(() => dave.close());
    const service = await bus.joined(() => startHerald(["notifications", ...db, "--http", String(http)]));
    cleanup.add(() => service.stop());
    await service.waitFor(/ready/);
    const data = { repo: "herald", tag: "v9", rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username: "dave" };
    const result = await publishWithHerald(bus.config, "git.tag.create", data);
    expect(result.code).toBe(0);
    await until(() => dave.heard.length === 1, "dave's private message", 10_000);
    expect(dave.heard[0]).toMatchObject({ from: "heraldnotify", target: "dave_irc", text: "dave tagged herald v9" });
  }, 60_000);
});
