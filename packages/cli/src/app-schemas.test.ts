import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./_test-io.js";

// An app's own topic, brought by a schema package the project depends on and by a folder named in
// herald.toml: every command knows it without a flag. In-process, no server needed.
const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "herald:shop.order.placed/1.0",
  description: "An order was placed.",
  type: "object",
  required: ["order", "customer"],
  examples: [{ order: "A1", customer: "carol" }],
  properties: { order: { type: "string" }, customer: { type: "string" } },
  additionalProperties: false,
};

function shopProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "herald-shop-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "shop", dependencies: { "shop-schemas": "1.0.0" } }));
  const pkg = join(dir, "node_modules", "shop-schemas");
  mkdirSync(join(pkg, "json", "shop.order.placed"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "shop-schemas", herald: { schemas: "json" } }));
  writeFileSync(join(pkg, "json", "shop.order.placed", "1.0.json"), JSON.stringify(schema));
  writeFileSync(
    join(pkg, "json", "shop.order.placed", "1.presentation.json"),
    JSON.stringify({ summary: "{{/customer}} placed {{/order}}", usernames: ["/customer"], icon: "shopping-cart" }),
  );
  mkdirSync(join(dir, "schemas", "shop.order.refunded"), { recursive: true });
  writeFileSync(
    join(dir, "schemas", "shop.order.refunded", "1.0.json"),
    JSON.stringify({ ...schema, $id: "herald:shop.order.refunded/1.0", description: "An order was refunded." }),
  );
  writeFileSync(
    join(dir, "herald.toml"),
    'schemas = ["schemas"]\nrelays = ["tcp://127.0.0.1:1"]\nrelay_timeout_ms = 200\n',
  );
  return dir;
}

const envelope = (event: string, data: unknown) =>
  JSON.stringify({
    specversion: "1.0",
    id: "0193a8c4-5b2e-7c1d-9e3f-1a2b3c4d5e6f",
    source: "/shop/web01",
    type: `org.example.dev.${event}`,
    time: "2026-12-01T10:00:00Z",
    datacontenttype: "application/json",
    dataschema: `herald:${event}/1.0`,
    data,
  });

describe("an app's own topics", () => {
  it("are listed beside the built-in ones, with where they come from", async () => {
    const dir = shopProject();
    const result = await runInProcess(["schema", "list", "--json"], { cwd: dir });
    const rows = JSON.parse(result.stdout) as { name: string; source: string; versions: string[] }[];
    expect(rows.filter((row) => row.name.startsWith("shop."))).toEqual([
      expect.objectContaining({ name: "shop.order.placed", source: "shop-schemas", versions: ["1.0"] }),
      expect.objectContaining({ name: "shop.order.refunded", source: join(dir, "schemas"), versions: ["1.0"] }),
    ]);
    expect(rows.some((row) => row.name === "git.receive")).toBe(true);
  });

  it("are validated by herald validate without --schemas, and --schemas adds to them", async () => {
    const dir = shopProject();
    const input = [
      envelope("shop.order.placed", { order: "A1", customer: "carol" }),
      envelope("shop.order.refunded", { order: "A1" }),
      envelope("git.tag.create", {
        repo: "herald",
        tag: "v1",
        rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
        username: "bob",
      }),
    ].join("\n");
    const result = await runInProcess(["validate"], { cwd: dir, input });
    expect(result.stdout.split("\n").slice(0, 3)).toEqual([
      "ok",
      "invalid $.data.customer must have required property 'customer'",
      "ok",
    ]);
    const more = join(dir, "more");
    mkdirSync(join(more, "shop.cart.empty"), { recursive: true });
    writeFileSync(
      join(more, "shop.cart.empty", "1.0.json"),
      JSON.stringify({ ...schema, $id: "herald:shop.cart.empty/1.0" }),
    );
    const added = await runInProcess(["validate", "--schemas", more], {
      cwd: dir,
      input: `${envelope("shop.cart.empty", { order: "A2", customer: "dan" })}\n${envelope("shop.order.placed", { order: "A1", customer: "carol" })}\n`,
    });
    expect([added.code, added.stdout]).toEqual([0, "ok\nok\n"]);
  });

  it("are checked by herald publish, which then only lacks a relay", async () => {
    const dir = shopProject();
    const bad = await runInProcess(["publish", "--topic", "shop.order.placed", "--data", '{"order":"A1"}'], {
      cwd: dir,
    });
    expect([bad.code, bad.stderr]).toEqual([
      1,
      "herald: data does not match herald:shop.order.placed/1.0: $.customer must have required property 'customer'\n",
    ]);
    const good = await runInProcess(
      ["publish", "--topic", "shop.order.placed", "--data", '{"order":"A1","customer":"carol"}'],
      {
        cwd: dir,
      },
    );
    expect([good.code, good.stderr]).toEqual([1, expect.stringMatching(/^herald: no relay acknowledged the message/)]);
  });

  it("are known to herald consumer check, which runs a consumer of them on their examples", async () => {
    const dir = shopProject();
    const seen = join(dir, "seen.txt");
    writeFileSync(
      join(dir, "shop-mailer.js"),
      `import { appendFileSync } from "node:fs";
export default {
  name: "shop-mailer",
  topics: ["shop.order.placed"],
  async handle(message) { appendFileSync(${JSON.stringify(seen)}, message.data.customer + "\\n"); },
};
`,
    );
    const result = await runInProcess(["consumer", "check", "./shop-mailer.js", "--json"], { cwd: dir });
    const report = JSON.parse(result.stdout) as { ok: boolean; findings: { rule: string; ok: boolean }[] };
    expect([result.code, report.ok]).toEqual([0, true]);
    expect(readFileSync(seen, "utf8")).toBe("carol\ncarol\n");
  });

  it("are what herald schema check examines: an edited released version or a breaking minor goes red", async () => {
    const dir = shopProject();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd: dir });
    git("init", "-q");
    git("add", "schemas");
    git("commit", "-qm", "release shop.order.refunded 1.0");
    const clean = await runInProcess(["schema", "check", "--against", "HEAD"], { cwd: dir });
    expect([clean.code, clean.stdout]).toEqual([
      0,
      "ok: 1 schema versions in schemas, none released at HEAD changed\n",
    ]);

    const released = join(dir, "schemas", "shop.order.refunded", "1.0.json");
    writeFileSync(released, JSON.stringify({ ...schema, description: "edited after release" }));
    const edited = await runInProcess(["schema", "check", "--against", "HEAD", "--json"], { cwd: dir });
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.stdout).problems).toEqual([
      "schemas/shop.order.refunded/1.0.json: released at HEAD but edited: add a new version instead",
    ]);

    git("checkout", "-q", "--", "schemas");
    const narrowed = { ...schema, properties: { ...schema.properties, order: { type: "integer" } } };
    writeFileSync(join(dir, "schemas", "shop.order.refunded", "1.1.json"), JSON.stringify(narrowed));
    const breaking = await runInProcess(["schema", "check"], { cwd: dir });
    expect(breaking.code).toBe(1);
    expect(breaking.stderr).toContain("shop.order.refunded 1.1: $.order type-changed");
    expect(breaking.stderr).toContain("example 1: $.order must be integer");
  });

  it("makes herald schema check refuse to say ok when it examined nothing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "herald-empty-"));
    const result = await runInProcess(["schema", "check", "--against", "HEAD"], { cwd: empty });
    expect([result.code, result.stdout]).toEqual([2, ""]);
    expect(result.stderr).toMatch(/^herald: nothing to check: list the project's schema folders/);
  });

  it("have pages on the site herald docs build writes, with their summary and who publishes them", async () => {
    const dir = shopProject();
    const result = await runInProcess(["docs", "build", "--out", "site", "--json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ links: { broken: [] } });
    const placed = readFileSync(join(dir, "site", "topics", "shop.order.placed.html"), "utf8");
    expect(placed).toContain("carol placed A1");
    expect(placed).toContain("shop-schemas");
    const refunded = readFileSync(join(dir, "site", "topics", "shop.order.refunded.html"), "utf8");
    expect(refunded).toContain("An order was refunded.");
    expect(readFileSync(join(dir, "site", "topics", "git.receive.html"), "utf8")).toContain("git.receive");
    const asyncapi = JSON.parse(readFileSync(join(dir, "site", "asyncapi.json"), "utf8")) as { channels: object };
    expect(Object.keys(asyncapi.channels).some((name) => name.includes("shop.order.placed"))).toBe(true);
  });

  it("make a site that is the adopter's: its title, introduction and servers, who handles and publishes each topic, schema files at stable URLs", async () => {
    const dir = shopProject();
    writeFileSync(
      join(dir, "consumer.mjs"),
      `export default { name: "fulfilment", topics: ["shop.order.placed"], publishes: ["shop.order.refunded"], handle() {} };\n`,
    );
    writeFileSync(
      join(dir, "herald.toml"),
      `${readFileSync(join(dir, "herald.toml"), "utf8")}
[site]
title = "Shop events"
introduction = "What the shop's services say <on> the bus."
servers = [{ name = "bus", url = "tcp://bus.shop.example:9941", description = "the shop's relay" }]

[[hub.consumers]]
module = "./consumer.mjs"
`,
    );
    const result = await runInProcess(["docs", "build", "--out", "site", "--json"], { cwd: dir });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(JSON.parse(result.stdout)).toMatchObject({ links: { broken: [] } });
    const read = (path: string) => readFileSync(join(dir, "site", path), "utf8");
    const home = read("index.html");
    expect(home).toContain("<h1>Shop events</h1>");
    expect(home).toContain("What the shop&#39;s services say &#60;on&#62; the bus.");
    expect(home).toContain("tcp://bus.shop.example:9941");
    expect(home).toContain("<title>Overview · Shop events</title>");
    // No monorepo quick start on an adopter's site.
    expect(home).not.toContain("npm run demo");
    expect(home).toContain("package <code>shop-schemas</code>");
    const placed = read("topics/shop.order.placed.html");
    expect(placed).toMatch(/consumed by <strong>fulfilment<\/strong> \(<code>consumer\.mjs<\/code>\)/);
    expect(read("topics/shop.order.refunded.html")).toContain("hub consumer <strong>fulfilment</strong>");
    expect(placed).toContain('href="../schemas/shop.order.placed/1.0.json"');
    expect(JSON.parse(read("schemas/shop.order.placed/1.0.json"))).toEqual(schema);
    // The diff table names the rule of each change.
    expect(read("topics/wiki.article.edit.html")).toContain("<code>property-added-optional</code>");
    const asyncapi = JSON.parse(read("asyncapi.json")) as { info: { title: string }; servers: object };
    expect(asyncapi.info.title).toBe("Shop events");
    expect(asyncapi.servers).toEqual({
      bus: { host: "bus.shop.example:9941", protocol: "zeromq", description: "the shop's relay" },
    });
  });

  it("refuse a [site] server that is no URL, naming the key", async () => {
    const dir = shopProject();
    writeFileSync(join(dir, "herald.toml"), '[site]\nservers = [{ name = "bus", url = "bus:9941" }]\n');
    const result = await runInProcess(["docs", "build", "--out", "site"], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/site\.servers\[0\]\.url/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
