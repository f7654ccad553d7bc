import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Envelope, generateSigningKey, parseTrustFile } from "@herald/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { loadSchemaCatalogue } from "../sources/schema-catalogue.js";
import { createRegistryClient } from "./registry-client.js";
import { signRegistration } from "./schema-registration.js";

const trusted = generateSigningKey("shop.web01");
const stranger = generateSigningKey("shop.rogue");
const trust = parseTrustFile({
  version: 1,
  keys: { "shop.web01": { publicKey: trusted.signingKey.publicKeyBase64, topics: ["#"] } },
});
const schema = JSON.stringify({ type: "object", required: ["order"], properties: { order: { type: "string" } } });
const presentation = JSON.stringify({ summary: "order {{/order}} placed" });

const closing: (() => void)[] = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
});

/** A registry-shaped HTTP server answering from a table of path → body, counting requests. */
async function serve(routes: Record<string, unknown>) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.url ?? "");
    const body = routes[request.url ?? ""];
    response.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    response.end(body === undefined ? "{}" : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closing.push(() => server.close());
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen };
}

const envelope = (dataschema: string, data: { order: string }): Envelope => ({
  specversion: "1.0",
  datacontenttype: "application/json",
  id: "0193a8c4-5b2e-7c1d-9e3f-1a2b3c4d5e6f",
  source: "/shop/web01",
  type: "org.example.dev.shop.order.placed",
  time: "2026-12-01T10:00:00Z",
  dataschema,
  data,
});

describe("the registry client", () => {
  it("fetches an unknown dataschema once, then validates and presents it from the cache in a new process", async () => {
    const { url, seen } = await serve({
      "/schemas/shop.order.placed/1.0": signRegistration(
        { name: "shop.order.placed", version: "1.0", schema, presentation },
        trusted.signingKey,
      ),
    });
    const cacheDir = mkdtempSync(join(tmpdir(), "herald-schema-cache-"));
    const catalogue = loadSchemaCatalogue({
      builtIn: false,
      packages: false,
      remote: createRegistryClient({ url, cacheDir, trust }),
    });
    const dataschema = "herald:shop.order.placed/1.0";
    expect(catalogue.registry.lookup(dataschema).status).toBe("unknown-schema");
    await Promise.all([catalogue.registry.prepare?.(dataschema), catalogue.registry.prepare?.(dataschema)]);
    expect(seen).toEqual(["/schemas/shop.order.placed/1.0"]);
    expect(catalogue.registry.prepare?.(dataschema)).toBeUndefined();
    const lookup = catalogue.registry.lookup(dataschema);
    expect(lookup.status === "found" && lookup.schema.check({ order: 7 }).ok).toBe(false);
    expect(catalogue.presenter.present(envelope(dataschema, { order: "A1" })).summary).toBe("order A1 placed");

    const again = loadSchemaCatalogue({
      builtIn: false,
      packages: false,
      remote: createRegistryClient({ url, cacheDir, trust }),
    });
    expect(again.registry.prepare?.(dataschema)).toBeUndefined();
    expect(again.presenter.present(envelope(dataschema, { order: "B2" })).summary).toBe("order B2 placed");
    expect(seen).toHaveLength(1);
    expect(again.sources.at(-1)).toMatchObject({ kind: "registry", name: url, entries: 1 });
  });

  it("refuses a version no trusted key signed, and asks again only after the failure is forgotten", async () => {
    const forged = signRegistration({ name: "shop.order.placed", version: "1.0", schema }, stranger.signingKey);
    const { url, seen } = await serve({ "/schemas/shop.order.placed/1.0": forged });
    const cacheDir = mkdtempSync(join(tmpdir(), "herald-schema-cache-"));
    const warnings: string[] = [];
    // The client's own clock, moved by the test: forgetting is shown without waiting for it.
    let clock = Date.now();
    const client = createRegistryClient({
      url,
      cacheDir,
      trust,
      failureTtlMs: 200,
      now: () => clock,
      logger: { info() {}, warn: (line) => warnings.push(line), error() {} },
    });
    const catalogue = loadSchemaCatalogue({ builtIn: false, packages: false, remote: client });
    await catalogue.registry.prepare?.("herald:shop.order.placed/1.0");
    await catalogue.registry.prepare?.("herald:shop.missing/1.0");
    for (let n = 0; n < 100; n++) {
      expect(catalogue.registry.prepare?.("herald:shop.order.placed/1.0")).toBeUndefined();
      expect(catalogue.registry.prepare?.("herald:shop.missing/1.0")).toBeUndefined();
    }
    expect(seen).toHaveLength(2);
    expect(warnings[0]).toMatch(/refused: signed by shop\.rogue, a key not in/);
    expect(warnings[1]).toMatch(/herald:shop\.missing\/1\.0: not registered/);
    expect(readdirSync(cacheDir)).toEqual([]);
    clock += 199;
    expect(catalogue.registry.prepare?.("herald:shop.missing/1.0")).toBeUndefined();
    clock += 2;
    await catalogue.registry.prepare?.("herald:shop.missing/1.0");
    expect(seen).toHaveLength(3);
  });

  it("ignores a cached file that was changed after it was verified", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "herald-schema-cache-"));
    const registration = signRegistration({ name: "shop.order.placed", version: "1.0", schema }, trusted.signingKey);
    const tampered = { ...registration, schema: JSON.stringify({ type: "object" }) };
    mkdirSync(join(cacheDir, "shop.order.placed"));
    writeFileSync(join(cacheDir, "shop.order.placed", "1.0.registration.json"), JSON.stringify(tampered));
    const warnings: string[] = [];
    const client = createRegistryClient({
      url: "http://127.0.0.1:1",
      cacheDir,
      trust,
      logger: { info() {}, warn: (line) => warnings.push(line), error() {} },
    });
    expect(client.cached()).toEqual([]);
    expect(warnings[0]).toMatch(/ignoring .*1\.0\.registration\.json: the signature of shop\.web01 does not verify/);
  });
  it("never lets a served or cached schema that does not compile reach a consumer, and the relay's ReDoS is linear", async () => {
    const evil = (name: string, text: string) =>
      signRegistration({ name, version: "1.0", schema: text }, trusted.signingKey);
    const { url } = await serve({
      "/schemas/shop.evil1/1.0": evil("shop.evil1", '{"type":5}'),
      "/schemas/shop.redos/1.0": evil("shop.redos", '{"properties":{"s":{"type":"string","pattern":"^(a+)+$"}}}'),
    });
    const cacheDir = mkdtempSync(join(tmpdir(), "herald-schema-cache-"));
    // A poisoned cache: a validly signed registration of a schema that does not compile.
    mkdirSync(join(cacheDir, "shop.evil2"));
    writeFileSync(
      join(cacheDir, "shop.evil2", "1.0.registration.json"),
      JSON.stringify(evil("shop.evil2", '{"type":5}')),
    );
    const warnings: string[] = [];
    const logger = { info() {}, warn: (line: string) => warnings.push(line), error() {} };
    const catalogue = loadSchemaCatalogue({
      builtIn: false,
      packages: false,
      remote: createRegistryClient({ url, cacheDir, trust, logger }),
    });
    // The poisoned cache entry is skipped with one line; nothing throws.
    expect(catalogue.entries.map((entry) => entry.name)).toEqual([]);
    expect(warnings.join("\n")).toMatch(/ignoring .*shop\.evil2.*does not compile/);
    await catalogue.registry.prepare?.("herald:shop.evil1/1.0");
    expect(catalogue.registry.lookup("herald:shop.evil1/1.0").status).toBe("unknown-schema");
    expect(warnings.join("\n")).toMatch(/shop\.evil1\/1\.0: refused: schema does not compile/);

    // A registered pattern runs on the linear-time engine: 30 characters and a mismatch end at once.
    await catalogue.registry.prepare?.("herald:shop.redos/1.0");
    const lookup = catalogue.registry.lookup("herald:shop.redos/1.0");
    if (lookup.status !== "found") throw new Error(`shop.redos is ${lookup.status}`);
    expect(lookup.schema.check({ s: `${"a".repeat(30)}!` }).ok).toBe(false);
    expect(lookup.schema.check({ s: "a".repeat(30) }).ok).toBe(true);
  });
});
