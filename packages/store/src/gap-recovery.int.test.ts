import { catalogue } from "@herald/schemas";
import {
  createBus,
  createEnvelope,
  generateSigningKey,
  parseTrustFile,
  type ReceivedMessage,
  type RecoveryReport,
  signEnvelope,
} from "@herald/sdk";
import { createMemoryTransport } from "@herald/sdk/testing";
import { until } from "@herald/test-support";
import { describe, expect, it } from "vitest";
import { startQueryApi } from "./http-api.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";
import { toStoredMessage } from "./stored-message.js";

const topic = "org.example.prod.git.receive";
const { signingKey } = generateSigningKey("git.gap01");
const trust = parseTrustFile({
  version: 1,
  keys: { "git.gap01": { publicKey: signingKey.publicKeyBase64, topics: ["org.example.*.git.#"] } },
});
const example = catalogue.find((entry) => entry.name === "git.receive")!.examples[0] as never;

/** Ten signed messages, as their bytes, one second apart. */
const firstTime = Date.now() - 20_000;
const bodies = Array.from({ length: 10 }, (_, n) =>
  Buffer.from(
    JSON.stringify(
      signEnvelope(createEnvelope({ topic, data: example, time: new Date(firstTime + n * 1000) }), signingKey),
    ),
  ),
);

/** A store holding all ten messages, serving its API. */
async function storeWithEverything() {
  const store = openSqliteStore(":memory:");
  await store.ingest(
    bodies.map((raw) => {
      const envelope = JSON.parse(raw.toString());
      return toStoredMessage({ topic, envelope, raw, outcome: "valid", schema: "unchecked" });
    }),
  );
  return { store, api: await startQueryApi(store, { port: 0 }) };
}

describe("a subscriber's gap recovery from a store", () => {
  it("gets back exactly the messages a gap lost, verified, once, flagged recovered", async () => {
    const { store, api } = await storeWithEverything();
    const transport = createMemoryTransport();
    const bus = createBus({ schemas: "none", transport, trust });
    const reports: RecoveryReport[] = [];
    const subscription = await bus.subscribe([topic], {
      recover: { stores: [`http://127.0.0.1:${api.port}`], delayMs: 50, onRecovered: (report) => reports.push(report) },
    });
    const received: ReceivedMessage[] = [];
    const reading = (async () => {
      for await (const message of subscription) received.push(message);
    })();
    // Messages 4, 5 and 6 are lost on the way: the sequence stamps jump from 3 to 7.
    for (const [n, body] of bodies.entries())
      if (n < 3 || n > 5) await transport.inject(topic, body, `seq abcd ${n + 1}`);
    await until(() => reports.length > 0, "the recovery report", 5000);
    // Messages after the gap that were still verifying when the store answered may come back
    // from the store first: they count as recovered, and are still delivered once.
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ topics: [topic], missed: 3, store: `http://127.0.0.1:${api.port}` });
    expect(reports[0]!.recovered).toBeGreaterThanOrEqual(3);
    expect(received.map((message) => message.raw.toString()).sort()).toEqual(bodies.map(String).sort());
    const recovered = received.filter((message) => message.recovered).map((message) => message.raw.toString());
    expect(recovered).toHaveLength(reports[0]!.recovered);
    expect(recovered).toEqual(expect.arrayContaining(bodies.slice(3, 6).map(String)));
    expect(received.every((message) => message.outcome === "valid")).toBe(true);
    expect(subscription.stats.missed).toBe(3);
    await bus.close();
    await reading;
    await api.close();
    await store.close();
  });

  it("catches up after a restart with what was published since, and refuses what does not verify", async () => {
    const { store, api } = await storeWithEverything();
    const forged = JSON.parse(bodies[9]!.toString());
    forged.data = { ...forged.data, summary: "forged" };
    forged.id = "01936f3e-0000-7000-8000-000000000001";
    await store.ingest([
      toStoredMessage({
        topic,
        envelope: forged,
        raw: Buffer.from(JSON.stringify(forged)),
        outcome: "valid",
        schema: "unchecked",
      }),
    ]);
    const rejected: string[] = [];
    const bus = createBus({ schemas: "none", transport: createMemoryTransport(), trust });
    const reports: RecoveryReport[] = [];
    const since = new Date(JSON.parse(bodies[6]!.toString()).time);
    const subscription = await bus.subscribe(["org.example.*.git.#"], {
      onReject: (rejection) => rejected.push(rejection.reason),
      recover: {
        stores: ["http://127.0.0.1:1", `http://127.0.0.1:${api.port}`],
        since,
        onRecovered: (report) => reports.push(report),
      },
    });
    const received: ReceivedMessage[] = [];
    const reading = (async () => {
      for await (const message of subscription) received.push(message);
    })();
    await until(() => reports.length > 0, "the catch-up report", 5000);
    // From 2 s before `since` (clock slack): messages 5 to 10; the forged copy is refused.
    expect(reports[0]).toMatchObject({ topics: ["org.example.*.git.#"], recovered: 6 });
    expect(received.map((message) => message.raw.toString())).toEqual(bodies.slice(4).map(String));
    expect(rejected).toEqual(["bad-signature"]);
    await bus.close();
    await reading;
    await api.close();
    await store.close();
  });
});
