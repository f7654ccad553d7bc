import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createBus, loadTrustFile } from "@herald/sdk";
import {
  appAvailable,
  createCollector,
  freePort,
  installMediaWiki,
  mediaWikiApi,
  type RunningProcess,
  runHerald,
  startHerald,
  tcpAddress,
} from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const running: RunningProcess[] = [];
const closers: (() => Promise<void>)[] = [];
let wiki: string;
let spoolDir: string;
let relayArgs: string[];
let take: ReturnType<typeof createCollector<import("@herald/sdk").ReceivedMessage>>;

const hasWiki = appAvailable("mediawiki");

beforeAll(async () => {
  if (!hasWiki) return;
  const installedWiki = await installMediaWiki();
  const dir = installedWiki.dir;
  await runHerald(["keygen", "wiki.web01", "--dir", dir, "--trust", join(dir, "trust.json")]);
  const httpPort = await freePort();
  const outbound = await tcpAddress();
  wiki = installedWiki.url;
  mkdirSync(join(dir, "images"));
  spoolDir = join(dir, "spool");
  writeFileSync(
    join(dir, "herald.toml"),
    `prefix = "org.example"\nenvironment = "dev"\nspool_dir = "spool"\n[relay]\nhttp_port = ${httpPort}\nhttp_token_file = "relay.token"\n`,
  );
  writeFileSync(join(dir, "relay.token"), `${randomBytes(24).toString("hex")}\n`, { mode: 0o640 });
  const installed = await runHerald([
    "integrations",
    "install",
    "mediawiki",
    join(dir, "LocalSettings.php"),
    "--config",
    join(dir, "herald.toml"),
  ]);
  expect(installed.code).toBe(0);
  appendFileSync(
    join(dir, "LocalSettings.php"),
    `$wgEnableUploads = true;\n$wgUploadDirectory = '${join(dir, "images")}';\n$wgFileExtensions[] = 'txt';\n$wgVerifyMimeType = false;\n`,
  );
  relayArgs = [
    "relay",
    "--config",
    join(dir, "herald.toml"),
    "--trust",
    join(dir, "trust.json"),
    "--key",
    join(dir, "wiki.web01.pem"),
    "--keyid",
    "wiki.web01",
    "--inbound",
    await tcpAddress(),
    "--outbound",
    outbound,
    "--http",
    String(httpPort),
  ];
  const relay = startHerald(relayArgs);
  running.push(relay);
  await relay.waitFor(/ready/);
  await installedWiki.serve();
  closers.push(async () => installedWiki.stop());
  const bus = createBus({
    schemas: "none",
    transport: await createZeroMqTransport({ connect: [outbound] }),
    trust: loadTrustFile(join(dir, "trust.json")),
  });
  take = createCollector(await bus.subscribe(["org.example.#"]));
  closers.push(() => bus.close());
});

afterAll(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe.skipIf(!hasWiki)("the MediaWiki extension, in Debian's MediaWiki", () => {
  it("queues a save while no relay answers, and a relay started with --spool delivers it, signed", async () => {
    await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
    const api = mediaWikiApi(wiki);
    const edit = await api.call({
      action: "edit",
      title: "Offline Edit",
      text: "saved while the relay was down",
      token: "+\\",
    });
    expect(edit.edit.result).toBe("Success");
    expect(readdirSync(spoolDir).filter((name) => name.endsWith(".json"))).toHaveLength(1);
    const relay = startHerald([...relayArgs, "--spool", spoolDir]);
    running.push(relay);
    await relay.waitFor(/ready/);
    const [message] = await take(1, 8000);
    expect(message?.outcome).toBe("valid");
    expect(message?.envelope).toMatchObject({
      type: "org.example.dev.wiki.article.edit",
      keyid: "wiki.web01",
      data: { title: "Offline Edit" },
    });
    expect(readdirSync(spoolDir).filter((name) => name.endsWith(".json"))).toHaveLength(0);
  });

  it("publishes one wiki.article.edit with title, user, revision and URL when a page is edited", async () => {
    const api = mediaWikiApi(wiki);
    const edit = await api.call({
      action: "edit",
      title: "Herald Test",
      text: "Hello from the test",
      summary: "first edit",
      token: "+\\",
    });
    expect(edit.edit.result).toBe("Success");
    const messages = await take(5, 2000);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.outcome).toBe("valid");
    expect(messages[0]?.envelope).toMatchObject({
      type: "org.example.dev.wiki.article.edit",
      keyid: "wiki.web01",
      data: {
        title: "Herald Test",
        user: "127.0.0.1",
        revision: edit.edit.newrevid,
        minor: false,
        url: `${wiki}/index.php?title=Herald_Test&oldid=${edit.edit.newrevid}`,
        comment: "first edit",
        size_delta: "Hello from the test".length,
      },
    });
  });

  it("publishes deletions and uploads made by a logged-in administrator", async () => {
    const api = mediaWikiApi(wiki);
    const login = await api.call({
      action: "clientlogin",
      username: "Admin",
      password: "AdminPassword-123!",
      loginreturnurl: wiki,
      logintoken: await api.token("login"),
    });
    expect(login.clientlogin.status).toBe("PASS");
    await api.call({ action: "edit", title: "Doomed Page", text: "soon gone", token: await api.token("csrf") });
    const deletion = await api.call({
      action: "delete",
      title: "Doomed Page",
      reason: "test cleanup",
      token: await api.token("csrf"),
    });
    expect(deletion.delete?.title, JSON.stringify(deletion)).toBe("Doomed Page");
    const file = new FormData();
    file.append("file", new Blob(["hello herald\n"], { type: "text/plain" }), "Herald-note.txt");
    const upload = await api.call(
      { action: "upload", filename: "Herald-note.txt", ignorewarnings: "1", token: await api.token("csrf") },
      file,
    );
    expect(upload.upload.result).toBe("Success");
    const messages = await take(10, 2000);
    expect(messages.map((message) => message.envelope.type.replace("org.example.dev.", ""))).toEqual([
      "wiki.article.edit",
      "wiki.page.delete",
      "wiki.upload.complete",
      "wiki.article.edit", // the new file's description page
    ]);
    expect(messages[1]?.envelope.data).toEqual({ title: "Doomed Page", user: "Admin", reason: "test cleanup" });
    expect(messages[2]?.envelope.data).toMatchObject({
      filename: "Herald-note.txt",
      user: "Admin",
      size: 13,
      mime: "text/plain",
    });
  });
});
