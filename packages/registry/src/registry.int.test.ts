import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signRegistration } from "@herald/schemas";
import { generateSigningKey } from "@herald/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { parseAccessList } from "./access-list.js";
import { type RunningRegistry, startRegistry } from "./registry-service.js";

const shop = generateSigningKey("shop.ci");
const other = generateSigningKey("wiki.ci");
const access = parseAccessList({
  version: 1,
  registrants: {
    "shop.ci": { publicKey: shop.signingKey.publicKeyBase64, schemas: ["shop.*"] },
    "wiki.ci": { publicKey: other.signingKey.publicKeyBase64, schemas: ["wiki.page.edit"] },
  },
});
const schema = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "object", required: ["order"], properties: { order: { type: "string" }, ...extra } });

const running: RunningRegistry[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((registry) => registry.close()));
});

async function registry() {
  const service = await startRegistry({ dataDir: mkdtempSync(join(tmpdir(), "herald-registry-")), access, port: 0 });
  running.push(service);
  const url = `http://127.0.0.1:${service.port}`;
  const put = async (name: string, version: string, body: unknown, type = "application/json") => {
    const response = await fetch(`${url}/schemas/${name}/${version}`, {
      method: "PUT",
      headers: { "content-type": type },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { reason?: string; changes?: string[] } };
  };
  return { service, url, put };
}

describe("the registry service", () => {
  it("serves what it admitted with entity tags, the index, and the JSON Schema file byte for byte", async () => {
    const { url, put } = await registry();
    const text = schema();
    expect(
      (
        await put(
          "shop.order.placed",
          "1.0",
          signRegistration({ name: "shop.order.placed", version: "1.0", schema: text }, shop.signingKey),
        )
      ).status,
    ).toBe(201);
    const first = await fetch(`${url}/schemas/shop.order.placed/1.0`);
    const etag = first.headers.get("etag") as string;
    expect(first.headers.get("cache-control")).toContain("immutable");
    expect(((await first.json()) as { keyid: string }).keyid).toBe("shop.ci");
    expect((await fetch(`${url}/schemas/shop.order.placed/1.0`, { headers: { "if-none-match": etag } })).status).toBe(
      304,
    );
    expect(await (await fetch(`${url}/schemas/shop.order.placed/1.0.json`)).text()).toBe(text);
    const index = (await (await fetch(`${url}/schemas`)).json()) as { versions: { name: string; version: string }[] };
    expect(index.versions.map((item) => `${item.name} ${item.version}`)).toEqual(["shop.order.placed 1.0"]);
    expect((await fetch(`${url}/schemas/shop.order.placed/1.1`)).status).toBe(404);
  });

  it("admits only what the access list allows, signed by that key, in order", async () => {
    const { put } = await registry();
    const by = (key: typeof shop, name: string, version: string, text = schema()) =>
      signRegistration({ name, version, schema: text }, key.signingKey);
    expect(await put("shop.order.placed", "1.0", by(other, "shop.order.placed", "1.0"))).toMatchObject({
      status: 403,
      body: { reason: "key wiki.ci may not register shop.order.placed" },
    });
    const forged = { ...by(shop, "shop.order.placed", "1.0"), schema: schema({ extra: { type: "string" } }) };
    expect((await put("shop.order.placed", "1.0", forged)).body.reason).toBe(
      "the signature of shop.ci does not verify",
    );
    expect((await put("shop.order.placed", "1.0", by(shop, "shop.order.refunded", "1.0"))).status).toBe(400);
    expect((await put("shop.order.placed", "1.1", by(shop, "shop.order.placed", "1.1"))).body.reason).toMatch(
      /follows 1\.0, which is not registered/,
    );
    expect((await put("shop.order.placed", "1.0", by(shop, "shop.order.placed", "1.0"))).status).toBe(201);
    const narrowed = by(shop, "shop.order.placed", "1.1", schema({ order: { type: "integer" } }));
    expect(await put("shop.order.placed", "1.1", narrowed)).toMatchObject({
      status: 409,
      body: { changes: ["$.order type-changed (string → integer), breaking"] },
    });
    // A breaking change is a new major.
    expect((await put("shop.order.placed", "2.0", by(shop, "shop.order.placed", "2.0", narrowed.schema))).status).toBe(
      201,
    );
  });

  it("refuses hostile bodies with a reason and keeps serving", async () => {
    const { url, put, service } = await registry();
    expect((await put("shop.a", "1.0", "{")).status).toBe(400);
    expect((await put("shop.a", "1.0", '{"name":"shop.a","name":"shop.b"}')).body.reason).toMatch(/"name" twice/);
    expect((await put("shop.a", "1.0", `${"[".repeat(5000)}${"]".repeat(5000)}`)).body.reason).toMatch(/deep/);
    expect((await put("shop.a", "1.0", "x".repeat(600 * 1024))).status).toBe(413);
    expect(
      (await put("shop.a", "1.0", { name: "shop.a", version: "1.0", schema: "[]", keyid: "shop.ci", sig: "x" })).status,
    ).toBe(400);
    expect((await fetch(`${url}/schemas/..%2F..%2Fetc/1.0`)).status).toBe(404);
    // A page can post text/plain without asking: a registration is JSON only.
    const signed = signRegistration({ name: "shop.a", version: "1.0", schema: schema() }, shop.signingKey);
    expect((await put("shop.a", "1.0", signed, "text/plain")).status).toBe(415);
    expect(service.stats.refused).toBeGreaterThanOrEqual(5);
    expect((await fetch(`${url}/schemas`)).status).toBe(200);
  });
  it("refuses a signed schema that would not compile, recurses, leaves the document or nests without end", async () => {
    const { put } = await registry();
    const register = (text: string, name = "shop.evil") =>
      put(name, "1.0", signRegistration({ name, version: "1.0", schema: text }, shop.signingKey));
    const deep = `${'{"not":'.repeat(30_000)}{}${"}".repeat(30_000)}`;
    const refused: Array<[string, RegExp]> = [
      ['{"type":5}', /does not compile: schema is invalid/],
      ['{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}', /recurse/],
      ['{"$ref":"https://evil.example/schema.json"}', /points outside the document/],
      ['{"properties":{"s":{"pattern":"(a)\\\\1"}}}', /does not compile/],
      [deep, /deep/],
    ];
    for (const [text, reason] of refused) {
      const answer = await register(text);
      expect([text.slice(0, 60), answer.status, answer.body.reason]).toEqual([
        text.slice(0, 60),
        400,
        expect.stringMatching(reason),
      ]);
    }
  });

  it("keeps and serves only the signed fields of a registration", async () => {
    const { put, url } = await registry();
    const signed = signRegistration({ name: "shop.order.placed", version: "1.0", schema: schema() }, shop.signingKey);
    expect((await put("shop.order.placed", "1.0", { ...signed, injected: "<script>" })).status).toBe(201);
    const served = (await (await fetch(`${url}/schemas/shop.order.placed/1.0`)).json()) as Record<string, unknown>;
    expect(Object.keys(served).sort()).toEqual(["keyid", "name", "schema", "sig", "version"]);
  });
  it("keeps a major's presentation for all its minors", async () => {
    const { put } = await registry();
    const presentation = JSON.stringify({ summary: "order {{/order}} placed" });
    const version = (minor: number, text: string) =>
      signRegistration(
        { name: "shop.order.placed", version: `1.${minor}`, schema: schema(), presentation: text },
        shop.signingKey,
      );
    expect((await put("shop.order.placed", "1.0", version(0, presentation))).status).toBe(201);
    const other = JSON.stringify({ summary: "<b>{{/order}}</b> was placed" });
    expect(await put("shop.order.placed", "1.1", version(1, other))).toMatchObject({
      status: 409,
      body: { reason: expect.stringMatching(/a presentation belongs to the major/) },
    });
    expect((await put("shop.order.placed", "1.1", version(1, presentation))).status).toBe(201);
  });
});
