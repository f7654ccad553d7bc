import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSchemaCatalogue } from "./schema-catalogue.js";

const orderSchema = (extra: Record<string, unknown> = {}) => ({
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "herald:shop.order.placed/1.0",
  description: "An order was placed.",
  type: "object",
  required: ["order", "customer", "total_cents"],
  properties: {
    order: { type: "string" },
    customer: { type: "string" },
    total_cents: { type: "integer" },
    ...extra,
  },
});

const presentation = {
  summary: "{{/customer}} placed order {{/order}} ({{/total_cents | divide 100 | round 2}} EUR)",
  usernames: ["/customer"],
  packages: [],
  icon: "shopping-cart",
};

/** A service project outside the repository that depends on an app's schema package. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "herald-project-"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "shop-service", dependencies: { "shop-schemas": "1.0.0", other: "1.0.0" } }),
  );
  const pkg = join(dir, "node_modules", "shop-schemas");
  mkdirSync(join(pkg, "json", "shop.order.placed"), { recursive: true });
  writeFileSync(
    join(pkg, "package.json"),
    JSON.stringify({ name: "shop-schemas", version: "1.0.0", herald: { schemas: "json" } }),
  );
  writeFileSync(join(pkg, "json", "shop.order.placed", "1.0.json"), JSON.stringify(orderSchema()));
  writeFileSync(join(pkg, "json", "shop.order.placed", "1.presentation.json"), JSON.stringify(presentation));
  // A dependency that is no schema package, and one installed but not declared: both ignored.
  mkdirSync(join(dir, "node_modules", "other"), { recursive: true });
  writeFileSync(join(dir, "node_modules", "other", "package.json"), JSON.stringify({ name: "other" }));
  mkdirSync(join(dir, "node_modules", "undeclared", "json", "x.y.z"), { recursive: true });
  writeFileSync(
    join(dir, "node_modules", "undeclared", "package.json"),
    JSON.stringify({ name: "undeclared", herald: { schemas: "json" } }),
  );
  return dir;
}

const envelope = (data: unknown) => ({
  specversion: "1.0" as const,
  id: "0193a8c4-5b2e-7c1d-9e3f-1a2b3c4d5e6f",
  source: "/shop/web01",
  type: "org.example.prod.shop.order.placed",
  time: "2026-12-01T10:00:00Z",
  datacontenttype: "application/json" as const,
  dataschema: "herald:shop.order.placed/1.0",
  data: data as never,
});

describe("the schema catalogue", () => {
  it("adds the schema packages a project depends on to the built-in catalogue, and presents their messages", () => {
    const catalogue = loadSchemaCatalogue({ cwd: project() });
    expect(catalogue.sources.map((source) => [source.kind, source.name, source.entries])).toEqual([
      ["built-in", "@herald/schemas", expect.any(Number)],
      ["package", "shop-schemas", 1],
    ]);
    expect(
      catalogue.registry.latest("shop.order.placed")?.check({ order: "A1", customer: "carol", total_cents: 1250 }),
    ).toEqual({ ok: true });
    expect(catalogue.registry.latest("git.receive")).toBeDefined();
    expect(catalogue.presenter.present(envelope({ order: "A1", customer: "carol", total_cents: 1250 }))).toMatchObject({
      summary: "carol placed order A1 (12.5 EUR)",
      usernames: ["carol"],
      icon: "shopping-cart",
    });
    expect(catalogue.origins.get("shop.order.placed 1.0")?.name).toBe("shop-schemas");
  });

  it("adds folders too, and refuses one version defined differently by two sources, naming both", () => {
    const dir = project();
    const folder = join(dir, "schemas");
    mkdirSync(join(folder, "shop.order.placed"), { recursive: true });
    writeFileSync(
      join(folder, "shop.order.placed", "1.0.json"),
      JSON.stringify(orderSchema({ coupon: { type: "string" } })),
    );
    expect(() => loadSchemaCatalogue({ cwd: dir, folders: ["schemas"] })).toThrow(
      "shop.order.placed 1.0 is defined differently by package shop-schemas and by folder schemas",
    );
    writeFileSync(join(folder, "shop.order.placed", "1.0.json"), JSON.stringify(orderSchema()));
    mkdirSync(join(folder, "shop.order.refunded"), { recursive: true });
    writeFileSync(
      join(folder, "shop.order.refunded", "1.0.json"),
      JSON.stringify({ ...orderSchema(), $id: "herald:shop.order.refunded/1.0" }),
    );
    const catalogue = loadSchemaCatalogue({ cwd: dir, folders: ["schemas"] });
    expect(catalogue.registry.latest("shop.order.refunded")).toBeDefined();
    // Without a presentation document, a message is presented generically.
    expect(
      catalogue.presenter.present({ ...envelope({ order: "A1" }), dataschema: "herald:shop.order.refunded/1.0" })
        .summary,
    ).toBe('{"order":"A1"}');
  });

  it("names the file of a presentation document a schema author got wrong", () => {
    const dir = project();
    writeFileSync(
      join(dir, "node_modules", "shop-schemas", "json", "shop.order.placed", "1.presentation.json"),
      JSON.stringify({ summary: "{{customer}}" }),
    );
    // A new process (the package list is cached per project manifest and its modification time).
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "shop-service", dependencies: { "shop-schemas": "1.0.1" } }),
    );
    expect(() => loadSchemaCatalogue({ cwd: dir })).toThrow(
      /1\.presentation\.json: template "\{\{customer\}\}": "customer" is not a JSON Pointer/,
    );
  });
});
