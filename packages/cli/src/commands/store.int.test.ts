import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogue } from "@herald/schemas";
import { createEnvelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import {
  createCleanup,
  freePort,
  postgresAvailable,
  type RunningProcess,
  runHerald,
  startHerald,
  startTestBus,
  testPostgresSchema,
  until,
} from "@herald/test-support";
import { createRelayClient } from "@herald/transport-zeromq";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());
const hasPostgres = await postgresAvailable();
const gitReceive = catalogue.find((entry) => entry.name === "git.receive")!;

/** Counts of a store's API, or -1 while it does not answer. */
async function total(api: string, query = ""): Promise<number> {
  try {
    return ((await (await fetch(`${api}/herald/count?${query}`)).json()) as { total: number }).total;
  } catch {
    return -1;
  }
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  let ok = false;
  const poll = async () => {
    ok = await check();
  };
  await poll();
  const timer = setInterval(() => void poll(), 100);
  try {
    await until(() => ok, what, ms);
  } finally {
    clearInterval(timer);
  }
}

describe("herald store", () => {
  it.skipIf(!hasPostgres)(
    "archives what the bus carries into PostgreSQL and SQLite, recovers what a restarted store missed, and serves it to query, stats and replay",
    async () => {
      const bus = await startTestBus({ keyid: "git.store01" });
      cleanup.add(() => bus.relay?.stop());
      const key = loadSigningKey(bus.keyFile, "git.store01");
      const client = createRelayClient({ relays: [bus.inbound] });
      cleanup.add(() => client.close());
      const example = gitReceive.examples[0] as { commit: object };
      const publish = async (count: number, from: number) => {
        const sent: string[] = [];
        for (let n = from; n < from + count; n++) {
          const envelope = signEnvelope(
            createEnvelope({
              topic: "org.example.prod.git.receive",
              data: { ...example, commit: { ...example.commit, summary: `change ${n}` } } as never,
              dataschema: `herald:git.receive/${gitReceive.version}`,
            }),
            key,
          );
          const body = JSON.stringify(envelope);
          await client.send(Buffer.from(body));
          sent.push(body);
        }
        return sent;
      };

      const schema = testPostgresSchema();
      cleanup.add(() => schema.drop());
      const portA = await freePort();
      const portB = await freePort();
      const apiA = `http://127.0.0.1:${portA}`;
      const apiB = `http://127.0.0.1:${portB}`;
      const storeA = await bus.joined(() =>
        startHerald(["store", "--config", bus.config, "--db", schema.url, "--http", String(portA)]),
      );
      cleanup.add(() => storeA.stop());
      const startB = () => {
        const store = startHerald([
          "store",
          "--config",
          bus.config,
          "--db",
          `sqlite:${join(bus.dir, "b.sqlite")}`,
          "--http",
          String(portB),
          "--peer",
          apiA,
        ]);
        cleanup.add(() => store.stop());
        return store;
      };
      let storeB: RunningProcess = await bus.joined(startB);
      await storeA.waitFor(/ready: storing into postgres:\/\/.*query API/);
      await storeB.waitFor(/ready: storing into .*b\.sqlite/);

      const first = await publish(20, 0);
      await eventually(
        async () => (await total(apiA)) === 20 && (await total(apiB)) === 20,
        "20 messages in each store",
      );

      // B goes away; 30 messages go by; B comes back and fetches them from A.
      expect(await storeB.stop("SIGTERM")).toBe(0);
      expect(storeB.output().stderr).toMatch(/SIGTERM: stopped after storing 20 message\(s\)/);
      const second = await publish(30, 20);
      await eventually(async () => (await total(apiA)) === 50, "50 messages in A");
      storeB = startB();
      // The catch-up asks from a little before B's newest message (clock slack): B already has
      // some of what comes back, and stores those once.
      await storeB.waitFor(/recovered \d+ message\(s\) on # from http/);
      await eventually(async () => (await total(apiB)) === 50, "50 messages in B");

      // Byte for byte as published, and it verifies.
      const sent = [...first, ...second];
      const id = (JSON.parse(sent[33]!) as { id: string }).id;
      for (const api of [apiA, apiB]) {
        const fetched = await (await fetch(`${api}/herald/id?id=${id}`)).text();
        expect(fetched).toBe(sent[33]);
        const verify = await runHerald(["verify", "--trust", bus.trustFile], { input: `${fetched}\n` });
        expect(verify.stdout).toBe("valid\n");
      }

      // query: newest first, as stored; stats: one topic, 50 messages.
      const query = await runHerald(["query", "--from", apiB, "--limit", "3", "--json", "--user", "alice"]);
      expect(query.code).toBe(0);
      expect(query.stdout.trim().split("\n")).toEqual(sent.slice(-3).reverse());
      const table = await runHerald(["query", "--from", apiA, "--contains", "change 7"]);
      expect(table.stdout).toMatch(
        /org\.example\.prod\.git\.receive +git\.store01 +alice pushed to herald \(main\): change 7$/m,
      );
      expect(table.stderr).toBe("1 message(s) match\n");
      const stats = await runHerald(["stats", "--from", apiA, "--json"]);
      expect(JSON.parse(stats.stdout).rows).toEqual([{ topic: "org.example.prod.git.receive", count: 50 }]);

      // export from A, import into a new SQLite file: the same 50, all verified.
      const exported = await runHerald(["store", "export", "--config", bus.config, "--db", schema.url]);
      expect(exported.stdout).toBe(sent.map((body) => `${body}\n`).join(""));
      const file = join(bus.dir, "export.ndjson");
      writeFileSync(file, exported.stdout);
      const imported = await runHerald([
        "store",
        "import",
        file,
        "--config",
        bus.config,
        "--db",
        `sqlite:${join(bus.dir, "c.sqlite")}`,
      ]);
      expect(imported.stderr).toMatch(/stored 50 message\(s\) into .*c\.sqlite, 0 already there, 0 refused/);

      // replay into a relay that never saw these ids (a new replay file: a relay remembers what it
      // accepted across restarts and would call them repeats): a subscriber gets all 50, verifying.
      await bus.relay?.stop();
      appendFileSync(bus.config, 'replay_file = "fresh-relay.ids"\n');
      await bus.startRelay();
      const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json", "--count", "50"]));
      cleanup.add(() => tail.stop());
      const replay = await runHerald(["replay", "--config", bus.config, "--from", apiA]);
      expect(replay.stdout).toBe(`replayed 50 of 50 message(s) from ${apiA}\n`);
      expect(await tail.exited).toBe(0);
      expect(tail.output().stdout).toBe(exported.stdout);
    },
    90_000,
  );

  it("says in one line when its database cannot be opened", async () => {
    const result = await runHerald([
      "store",
      "--db",
      "postgres://herald@127.0.0.1:1/archive",
      "--insecure",
      "--connect",
      "tcp://127.0.0.1:1",
    ]);
    expect([result.code, result.stderr]).toEqual([
      2,
      "herald: postgres://herald@127.0.0.1:1/archive: cannot open the message store: connect ECONNREFUSED 127.0.0.1:1\n",
    ]);
  });

  it("answers a malformed filter with the parameter's name, and an absent store with its address", async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "herald-store-"));
    const store = startHerald([
      "store",
      "--db",
      `sqlite:${join(dir, "s.sqlite")}`,
      "--insecure",
      "--connect",
      "tcp://127.0.0.1:1",
      "--http",
      String(port),
    ]);
    cleanup.add(() => store.stop());
    await store.waitFor(/ready/);
    const bad = await runHerald(["query", "--from", `http://127.0.0.1:${port}`, "--start", "yesterday-ish"]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      `herald: http://127.0.0.1:${port}: start: "yesterday-ish" is neither seconds since the epoch nor a date\n`,
    ]);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const absent = await runHerald(["stats", "--from", nobody]);
    expect([absent.code, absent.stderr]).toEqual([
      2,
      `herald: ${nobody}: cannot reach the store (ECONNREFUSED); is herald store running?\n`,
    ]);
  });
});
