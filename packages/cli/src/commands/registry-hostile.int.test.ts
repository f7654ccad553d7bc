import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signRegistration } from "@herald/schemas";
import { createBus, createEnvelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import {
  freePort,
  type RunningProcess,
  runHerald,
  startHerald,
  startTestRegistry,
  tcpAddress,
  until,
} from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";

const running: RunningProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
});

function rssOf(process: RunningProcess): number {
  const status = readFileSync(`/proc/${process.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

describe("a poisoned schema cache", () => {
  it("does not keep the relay from starting: each bad entry is skipped with one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-poison-"));
    const trust = join(dir, "trust.json");
    await runHerald(["keygen", "shop.web01", "--dir", dir, "--trust", trust]);
    const key = loadSigningKey(join(dir, "shop.web01.pem"), "shop.web01");
    writeFileSync(
      join(dir, "herald.toml"),
      ['state_dir = "state"', 'trust_file = "trust.json"', 'schema_registry = "http://127.0.0.1:9/"'].join("\n"),
    );
    // What an earlier version cached, or another process of the user, or a hand: validly signed
    // registrations of schemas no consumer can compile or should run.
    const cache = join(dir, "state", "schema-cache", "127.0.0.1_9", "relay");
    const poison = {
      "shop.evil1": '{"type":5}',
      "shop.evil2": '{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}',
      "shop.evil3": `${'{"not":'.repeat(30_000)}{}${"}".repeat(30_000)}`,
      "shop.good": '{"type":"object","properties":{"order":{"type":"string"}}}',
    };
    for (const [name, schema] of Object.entries(poison)) {
      mkdirSync(join(cache, name), { recursive: true });
      writeFileSync(
        join(cache, name, "1.0.registration.json"),
        JSON.stringify(signRegistration({ name, version: "1.0", schema }, key)),
      );
    }
    const relay = startHerald(
      [
        "relay",
        "--config",
        join(dir, "herald.toml"),
        "--inbound",
        "tcp://127.0.0.1:0",
        "--outbound",
        "tcp://127.0.0.1:0",
        "--no-http",
      ],
      {
        cwd: dir,
      },
    );
    running.push(relay);
    await relay.waitFor(/ready/);
    const stderr = relay.output().stderr;
    for (const name of ["shop.evil1", "shop.evil2", "shop.evil3"])
      expect(stderr).toMatch(new RegExp(`ignoring .*${name.replace(".", "\\.")}.*1\\.0\\.registration\\.json`));
    expect(stderr).not.toMatch(/shop\.good/);
    expect(readFileSync(join(cache, "shop.good", "1.0.registration.json"), "utf8")).toContain("shop.good");
  });
});

describe("a template bomb from the registry", () => {
  it("keeps store and gateway answering and bounded: the message is stored and shown with its generic line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-bomb-"));
    const { registry, url } = await startTestRegistry(dir);
    running.push(registry);
    // As much fan-out as a template may have: 200 tags over every element, and every element a user.
    const key = loadSigningKey(join(dir, "shop.web01.pem"), "shop.web01");
    const registration = signRegistration(
      {
        name: "shop.bomb",
        version: "1.0",
        schema: '{"type":"object"}',
        presentation: JSON.stringify({ summary: "{{/a/*}}".repeat(200), usernames: ["/a/*"] }),
      },
      key,
    );
    const put = await fetch(`${url}/schemas/shop.bomb/1.0`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(registration),
    });
    expect(put.status).toBe(201);

    const address = await tcpAddress();
    writeFileSync(
      join(dir, "herald.toml"),
      [
        `schema_registry = "${url}"`,
        'trust_file = "trust.json"',
        'state_dir = "state"',
        "[store]",
        'db = "sqlite:store.sqlite"',
      ].join("\n"),
    );
    const [storePort, gatewayPort] = await Promise.all([freePort(), freePort()]);
    const config = ["--config", join(dir, "herald.toml"), "--connect", address];
    const store = startHerald(["store", ...config, "--http", String(storePort)], { cwd: dir });
    const gateway = startHerald(["gateway", ...config, "--http", String(gatewayPort)], { cwd: dir });
    running.push(store, gateway);
    await Promise.all([store.waitFor(/ready/), gateway.waitFor(/ready/)]);

    // One message of 100,000 short strings, sent until the store has it.
    const bus = createBus({ schemas: "none", transport: await createZeroMqTransport({ bind: [address] }) });
    const bomb = signEnvelope(
      createEnvelope({
        topic: "org.example.dev.shop.bomb",
        app: "shop",
        data: { a: Array.from({ length: 100_000 }, (_, n) => `s${n}`) },
        dataschema: "herald:shop.bomb/1.0",
      }),
      key,
    );
    const storeUrl = `http://127.0.0.1:${storePort}`;
    try {
      await until(
        async () => {
          await bus.publishEnvelope(bomb);
          const found = await fetch(`${storeUrl}/herald/export`).then((response) => response.text());
          return found.includes(bomb.id);
        },
        "the bomb in the store",
        60_000,
        100,
      );
    } finally {
      await bus.close();
    }
    // Both answer (5 s bounds a hang, not a speed: the bomb held them for minutes), under 300 MB.
    for (const port of [storePort, gatewayPort]) {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
      expect([port, health.status]).toEqual([port, 200]);
    }
    for (const process of [store, gateway]) {
      expect(process.child.exitCode).toBeNull();
      expect(rssOf(process)).toBeLessThan(300 * 2 ** 20);
    }
    expect(store.output().stderr).toContain("fetched herald:shop.bomb/1.0");
  }, 120_000);
});
