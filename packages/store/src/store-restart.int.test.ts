import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRelay } from "@herald/relay";
import { createEnvelope, createPolicy, loadConfig, parseTrustFile, signEnvelope, silentLogger } from "@herald/sdk";
import { makeSigner } from "@herald/sdk/testing";
import { archivedIds, createCleanup, tcpAddress, until, untilSubscribed } from "@herald/test-support";
import { createRelayClient, createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";
import { storeConfigSection } from "./store-config.js";
import { type StoreService, startStoreService } from "./store-service.js";

// A store restarted behind a relay with a journal, with no peer to ask: what the relay sent while
// the store was down (or in the moment it came up) is judged against the numbers the store had
// committed before, so it is a gap, fetched from the journal, not hidden behind a new baseline.

const cleanup = createCleanup();
afterEach(() => cleanup.run());

describe("a store restarted behind a relay", () => {
  it("fetches what was sent while it was down from the journal, with no peer to ask", async () => {
    const { key } = makeSigner("git.storerestart01", ["org.example.*.git.#"]);
    const trustJson = {
      version: 1,
      keys: { "git.storerestart01": { publicKey: key.publicKeyBase64, topics: ["org.example.*.git.#"] } },
    };
    const trust = parseTrustFile(trustJson);
    const dir = mkdtempSync(join(tmpdir(), "herald-store-restart-"));
    const inbound = await tcpAddress();
    const outbound = await tcpAddress();
    const publishing = await createZeroMqTransport({ bind: [outbound], heartbeatMs: 200 });
    const relay = await startRelay({
      inbound: [inbound],
      outbound: publishing,
      trust,
      journalFile: join(dir, "relay.journal"),
    });
    cleanup.add(() => relay.close());

    writeFileSync(
      join(dir, "herald.toml"),
      ['state_dir = "state"', `relays = ["${inbound}"]`, `[store]`, 'db = "sqlite:store.sqlite"'].join("\n"),
    );
    const config = loadConfig({ file: join(dir, "herald.toml"), env: {}, sections: [storeConfigSection] });
    const start = () =>
      startStoreService({ config, trust, policy: createPolicy(), logger: silentLogger, connect: [outbound], http: 0 });

    const client = createRelayClient({ relays: [inbound] });
    cleanup.add(() => client.close());
    const sent: string[] = [];
    const publish = async (count: number) => {
      for (let n = 0; n < count; n++) {
        const topic = `org.example.dev.git.t${sent.length % 7}`;
        sent.push((await client.send(signEnvelope(createEnvelope({ topic, data: { n: sent.length } }), key))).id);
      }
    };
    const archived = () => archivedIds(/(http:\/\/[^/]+)\/herald\/search/.exec(store.description)![1]!);

    let store: StoreService = await start();
    await untilSubscribed(publishing);
    await publish(140);
    await until(async () => (await archived()).length === 140, "the first 140 archived", 60_000);
    await store.close();

    // Down: 210 more on the same topics, which no peer stores.
    await publish(210);
    store = await start();
    cleanup.add(() => store.close());
    await until(async () => (await archived()).length === sent.length, `all ${sent.length} archived`, 60_000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}: ${(await archived()).length} archived`);
      },
    );
    expect(new Set(await archived())).toEqual(new Set(sent));
  }, 60_000);
});
