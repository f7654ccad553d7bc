// `npm run demo`: a working local bus on the embedded defaults, in one command.
// Creates a key and a trust file in .herald-demo/, starts `herald relay` and `herald tail`, then
// publishes a few messages with `herald publish` (as a git hook would) and shows them arrive,
// verified. Stops everything by itself after the last message.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const herald = join(root, "packages/cli/bin/herald.js");
const dir = join(root, ".herald-demo");
const trust = join(dir, "trust.json");
const key = join(dir, "git.demo01.pem");
// The relay's three ports, from HERALD_DEMO_PORT (default 9940): inbound, outbound, HTTP.
const base = Number(process.env.HERALD_DEMO_PORT ?? 9940);
if (!Number.isInteger(base) || base < 1024 || base > 65533) {
  process.stderr.write(
    `demo: HERALD_DEMO_PORT must be a port from 1024 to 65533, got ${process.env.HERALD_DEMO_PORT}\n`,
  );
  process.exit(2);
}
const [inbound, outbound, http] = [`tcp://127.0.0.1:${base}`, `tcp://127.0.0.1:${base + 1}`, base + 2];
const env = {
  ...process.env,
  HERALD_CONFIG: "/dev/null",
  HERALD_RELAY_INBOUND: inbound,
  HERALD_RELAY_OUTBOUND: outbound,
  HERALD_RELAY_HTTP_PORT: String(http),
  HERALD_RELAYS: inbound,
  HERALD_ENDPOINTS_LOCAL: outbound,
};
const run = (args, stdout = "inherit") =>
  spawnSync(process.execPath, [herald, ...args], { stdio: ["ignore", stdout, "inherit"], env });
// `herald publish` prints the acknowledged id; the demo leaves the screen to `herald tail`.
const publish = (args) => run(["publish", ...args], "ignore");

mkdirSync(dir, { recursive: true });
if (!existsSync(key)) run(["keygen", "git.demo01", "--dir", dir, "--trust", trust]);

const say = (text) => process.stderr.write(`\n\u001b[1m▶ ${text}\u001b[0m\n`);
say(`starting herald relay (inbound ${inbound}, outbound ${outbound}, HTTP ${http})`);
const relay = spawn(process.execPath, [herald, "relay", "--trust", trust], {
  stdio: ["ignore", "inherit", "pipe"],
  env,
});
relay.stderr.pipe(process.stderr);
// The ready line, not any text holding "ready" ("Address already in use" does).
const started = await new Promise((resolve) => {
  let seen = "";
  relay.stderr.on("data", (chunk) => {
    seen += String(chunk);
    if (/\bready: /.test(seen)) resolve(true);
  });
  relay.on("exit", () => resolve(false));
});
if (!started) {
  process.stderr.write(
    `demo: the relay could not start: is one of the ports ${base}–${base + 2} taken? Run it on others with HERALD_DEMO_PORT=${base + 1000} npm run demo\n`,
  );
  process.exit(2);
}

say("starting herald tail --trust (prints each verified message)");
const tail = spawn(process.execPath, [herald, "tail", "--trust", trust, "--count", "5"], { stdio: "inherit", env });
await new Promise((resolve) => setTimeout(resolve, 1000));

const stats = {
  files: { "README.md": { additions: 3, deletions: 1 } },
  total: { additions: 3, deletions: 1, files: 1 },
};
const commits = [
  {
    repo: "herald",
    branch: "main",
    rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    summary: "Fix the relay's reconnect loop",
    username: "alice",
    stats,
  },
  {
    repo: "herald",
    branch: "main",
    rev: "b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0",
    summary: "Document the trust file",
    username: "bob",
    stats,
  },
  {
    repo: "website",
    branch: "next",
    rev: "c0ffee1c0ffee1c0ffee1c0ffee1c0ffee1c0ffe",
    summary: "New front page",
    username: "carol",
    stats,
  },
];
const rev = "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3";
say("publishing 3 signed git messages, one unsigned log line, one signed by an unknown key, and two more");
const signed = ["--key", key, "--keyid", "git.demo01"];
for (const commit of commits) publish(["--topic", "git.receive", "--data", JSON.stringify({ commit }), ...signed]);
publish(["--topic", "logger.log", "--data", '{"text":"unsigned: the relay refuses it"}']);
const branch = (name) => JSON.stringify({ repo: "herald", branch: name, rev, username: "alice" });
publish(["--topic", "git.branch.create", "--data", branch("forged"), "--key", key, "--keyid", "not.trusted"]);
publish([
  "--topic",
  "git.tag.create",
  "--data",
  JSON.stringify({ repo: "herald", tag: "v1.0.0", rev, username: "alice" }),
  ...signed,
]);
publish(["--topic", "git.branch.delete", "--data", branch("old"), ...signed]);

await new Promise((resolve) => tail.on("exit", resolve));
relay.kill("SIGTERM");
await new Promise((resolve) => relay.on("exit", resolve));
say("done: 5 verified messages shown, 2 refused by the relay with their reason");
