import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBus, createEnvelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import { type RunningProcess, runHerald, startHerald, startTestRegistry, tcpAddress } from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";

const running: RunningProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
});

const version = (minor: number, properties: Record<string, unknown>, required = ["order", "customer"]) => ({
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `herald:shop.order.placed/1.${minor}`,
  description: "An order was placed.",
  type: "object",
  required,
  examples: [{ order: "A1", customer: "carol" }],
  properties,
});
const order = { order: { type: "string" }, customer: { type: "string" } };

/** An app's folder: 1.0, then 1.1 adding an optional field; a presentation for major 1. */
function appFolder(dir: string): string {
  const folder = join(dir, "schemas", "shop.order.placed");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "1.0.json"), `${JSON.stringify(version(0, order), null, 2)}\n`);
  writeFileSync(
    join(folder, "1.1.json"),
    `${JSON.stringify(version(1, { ...order, coupon: { type: "string" } }), null, 2)}\n`,
  );
  writeFileSync(
    join(folder, "1.presentation.json"),
    JSON.stringify({
      summary: "{{/customer}} placed order {{/order}}",
      usernames: ["/customer"],
      icon: "shopping-cart",
    }),
  );
  return join(dir, "schemas");
}

describe("herald registry", () => {
  it("serves an app's schemas to a subscriber that has none installed, once, and refuses edits and breaks with reasons", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-registry-"));
    const { registry, url, trust, access } = await startTestRegistry(dir);
    running.push(registry);

    const schemas = appFolder(dir);
    const key = ["--key", join(dir, "shop.web01.pem"), "--keyid", "shop.web01"];
    const published = await runHerald(["schema", "publish", schemas, "--registry", url, ...key]);
    expect(published.stderr).toBe("");
    expect([published.code, published.stdout]).toEqual([
      0,
      "registered shop.order.placed 1.0\nregistered shop.order.placed 1.1\n",
    ]);
    const again = await runHerald(["schema", "publish", schemas, "--registry", url, ...key]);
    expect(again.stdout).toBe("unchanged shop.order.placed 1.0\nunchanged shop.order.placed 1.1\n");

    // A subscriber in an empty folder: only schema_registry and a trust file.
    const subscriberDir = mkdtempSync(join(tmpdir(), "herald-subscriber-"));
    const config = join(subscriberDir, "herald.toml");
    writeFileSync(config, `schema_registry = "${url}"\ntrust_file = "${trust}"\n`);
    const env = { HERALD_CONFIG: config, XDG_STATE_HOME: join(subscriberDir, "state") };
    const address = await tcpAddress();
    const bus = createBus({ schemas: "none", transport: await createZeroMqTransport({ bind: [address] }) });
    const signingKey = loadSigningKey(join(dir, "shop.web01.pem"), "shop.web01");
    const message = (data: Record<string, unknown>) =>
      signEnvelope(
        createEnvelope({
          topic: "org.example.dev.shop.order.placed",
          app: "shop",
          data,
          dataschema: "herald:shop.order.placed/1.1",
        }),
        signingKey,
      );
    // Until the subscriber has what it needs: an invalid message, then a valid one, every 100 ms.
    let publishing = true;
    const publish = (async () => {
      while (publishing) {
        await bus.publishEnvelope(message({ order: 42, customer: "mallory" }));
        await bus.publishEnvelope(message({ order: "A1", customer: "carol", coupon: "XMAS" }));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const first = startHerald(["tail", "--connect", address, "--count", "2"], { cwd: subscriberDir, env });
      running.push(first);
      expect(await first.exited).toBe(0);
      const firstRun = first.output();
      expect(firstRun.stdout).toMatch(/shop\.order\.placed.*carol placed order A1/);
      expect(firstRun.stderr).toContain(`fetched herald:shop.order.placed/1.1`);
      expect(firstRun.stderr).toMatch(/invalid-data [1-9]/);

      // The registry killed, a second start presents and validates from what the first one kept.
      await registry.stop("SIGKILL");
      const second = startHerald(["tail", "--connect", address, "--count", "2"], { cwd: subscriberDir, env });
      running.push(second);
      expect(await second.exited).toBe(0);
      const secondRun = second.output();
      expect(secondRun.stdout).toMatch(/carol placed order A1/);
      expect(secondRun.stderr).not.toContain("fetched");
      expect(secondRun.stderr).not.toContain("schema registry");
      expect(secondRun.stderr).toMatch(/invalid-data [1-9]/);
    } finally {
      publishing = false;
      await publish;
      await bus.close();
    }

    // What it acknowledged survived the kill; an edit of a released version and a breaking
    // minor are refused with the diff's reasons.
    const restarted = startHerald(["registry", "--port", "0", "--data", join(dir, "registry"), "--access", access]);
    running.push(restarted);
    await restarted.waitFor(/ready: .*2 version\(s\)/);
    const restartedUrl = /(http:\/\/127\.0\.0\.1:\d+)\/schemas/.exec(restarted.output().stderr)?.[1] as string;
    const folder = join(schemas, "shop.order.placed");
    writeFileSync(join(folder, "1.0.json"), JSON.stringify(version(0, { ...order, order: { type: "integer" } })));
    writeFileSync(join(folder, "1.2.json"), JSON.stringify(version(2, order, ["order", "customer", "coupon"])));
    const refused = await runHerald(["schema", "publish", schemas, "--registry", restartedUrl, ...key]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("unchanged shop.order.placed 1.1\n");
    expect(refused.stderr).toContain("refused shop.order.placed 1.0: shop.order.placed 1.0 is released");
    expect(refused.stderr).toContain("  $.order type-changed (string → integer), breaking");
    expect(refused.stderr).toContain("refused shop.order.placed 1.2: shop.order.placed 1.2 breaks 1.1");
    expect(refused.stderr).toMatch(/ {2}\$\.coupon .*breaking/);
    expect(refused.stderr).toMatch(/herald: .* refused 2 of 3 version\(s\)\n$/);
  });
});
