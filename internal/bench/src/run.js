// `npm run bench`: Herald's speed figures, printed as a table (or JSON with --json).
// Each figure is a median of several runs; processes are separate where the claim is about them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { catalogue, compileSchema, present } from "@herald/schemas";
import {
  createBus,
  createEnvelope,
  generateSigningKey,
  parseTrustFile,
  signEnvelope,
  signingKeyFromSeed,
  verifyEnvelope,
  verifyEnvelopeAsync,
} from "@herald/sdk";
import { nodeCryptoEngine, tweetnaclEngine } from "@herald/sdk/internal";
import { createRelayClient, createZeroMqTransport } from "@herald/transport-zeromq";
import { benchAmqp } from "./amqp-bench.js";
import { benchConsumers } from "./consumers-bench.js";
import { benchFaults } from "./faults-bench.js";
import { floodPublisherScript } from "./flood-publisher-path.js";
import { median, opsPerSecond } from "./measure.js";
import { freeAddress, heraldBin, runProcess, startProcess } from "./processes.js";
import { benchSoak } from "./soak-bench.js";
import { benchStore } from "./store-bench.js";

const { values: flags } = parseArgs({
  options: { json: { type: "boolean" }, quick: { type: "boolean" }, only: { type: "string", multiple: true } },
});
/** `--only crypto|pubsub|tail|validate|present|relay|store-ingest|store-query|amqp|notify|gateway|faults|soak` (repeatable) runs some sections. */
const want = (section) => flags.only === undefined || flags.only.includes(section);
const scale = flags.quick ? 0.1 : 1;
const runs = flags.quick ? 1 : 3;
const results = [];
const record = (name, value, unit, note = "") => {
  results.push({ name, value: Math.round(value), unit, note });
  // Progress on stderr in both modes: the whole run takes a minute or two.
  process.stderr.write(`  ${name}: ${Math.round(value).toLocaleString("en")} ${unit}\n`);
};

const dir = mkdtempSync(join(tmpdir(), "herald-bench-"));
const { signingKey, pkcs8Pem } = generateSigningKey("git.bench01");
const keyFile = join(dir, "git.bench01.pem");
writeFileSync(keyFile, pkcs8Pem, { mode: 0o600 });
const trustJson = {
  version: 1,
  keys: { "git.bench01": { publicKey: signingKey.publicKeyBase64, topics: ["org.example.*.git.#"] } },
};
const trustFile = join(dir, "trust.json");
writeFileSync(trustFile, JSON.stringify(trustJson));
const trust = parseTrustFile(trustJson);
const sample = createEnvelope({
  topic: "org.example.prod.git.receive",
  data: {
    repo: "herald",
    branch: "main",
    rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    summary: "Fix the relay",
    stats: { additions: 12, deletions: 3 },
  },
});

// 1. Signing and verification, both engines.
for (const engine of want("crypto") ? [nodeCryptoEngine, tweetnaclEngine] : []) {
  const key = signingKeyFromSeed(Buffer.alloc(32, 7), "git.bench01", engine);
  const count = Math.round((engine === nodeCryptoEngine ? 20_000 : 300) * scale);
  record(
    `sign (${engine.name})`,
    await opsPerSecond(count, runs, () => {
      for (let n = 0; n < count; n++) signEnvelope({ ...sample, id: `id-${n}` }, key);
    }),
    "msg/s",
  );
}
for (const engine of want("crypto") ? [nodeCryptoEngine, tweetnaclEngine] : []) {
  const key = signingKeyFromSeed(Buffer.alloc(32, 7), "git.bench01", engine);
  const engineTrust = parseTrustFile({
    version: 1,
    keys: { "git.bench01": { publicKey: key.publicKeyBase64, topics: ["#"] } },
  });
  // verifyEnvelope uses the default engine; the tweetnacl row prepares its key with tweetnacl.
  const publicKey = engine.publicKey(Buffer.from(key.publicKeyBase64, "base64"));
  const store =
    engine === nodeCryptoEngine
      ? engineTrust
      : { ...engineTrust, get: (id) => ({ ...engineTrust.get(id), publicKey }) };
  const signed = Array.from({ length: 200 }, (_, n) => signEnvelope({ ...sample, id: `id-${n}` }, key));
  const count = Math.round((engine === nodeCryptoEngine ? 20_000 : 150) * scale);
  record(
    `verify (${engine.name}, one thread)`,
    await opsPerSecond(count, runs, () => {
      for (let n = 0; n < count; n++) {
        if (verifyEnvelope(signed[n % signed.length], store).outcome !== "valid") throw new Error("bench: not valid");
      }
    }),
    "msg/s",
  );
}

if (want("crypto")) {
  // What a subscriber does: many signatures in flight on libuv's thread pool, using every core.
  const signed = Array.from({ length: 200 }, (_, n) => signEnvelope({ ...sample, id: `id-${n}` }, signingKey));
  const count = Math.round(20_000 * scale);
  record(
    "verify (worker pool, libsodium, 256 in flight)",
    await opsPerSecond(count, runs, async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 256 }, async () => {
          while (next < count) {
            if ((await verifyEnvelopeAsync(signed[next++ % signed.length], trust)).outcome !== "valid")
              throw new Error("bench: not valid");
          }
        }),
      );
    }),
    "msg/s",
  );
}

// 2. Publish → subscribe over ZeroMQ on loopback, from a separate publishing process.
async function pubSub(signed) {
  const count = Math.round(50_000 * scale);
  const address = await freeAddress();
  const bus = createBus({
    schemas: "none",
    transport: await createZeroMqTransport({ connect: [address] }),
    trust,
    policy: { accepts: (o) => o === "valid" || (!signed && o === "unsigned") },
  });
  const subscription = await bus.subscribe(["org.example.#"]);
  const publisher = runProcess(floodPublisherScript, [
    "--bind",
    address,
    "--count",
    String(count),
    ...(signed ? ["--key", keyFile, "--keyid", "git.bench01"] : []),
  ]);
  let received = 0;
  let last = 0;
  // One watchdog for the whole run, not a timer per message: ends the count if messages stop coming.
  const watchdog = setInterval(() => {
    if (Date.now() - (last || Date.now()) > 3000) void subscription.close();
  }, 500);
  const done = publisher.then((result) => JSON.parse(result.stdout));
  for await (const _message of subscription) {
    received++;
    last = Date.now();
    if (received === count) break;
  }
  clearInterval(watchdog);
  const { started } = await done;
  await bus.close();
  return { rate: received / ((last - started) / 1000), lost: count - received };
}
for (const signed of want("pubsub") ? [false, true] : []) {
  const outcomes = [];
  for (let run = 0; run < runs; run++) outcomes.push(await pubSub(signed));
  const lost = outcomes.reduce((sum, outcome) => sum + outcome.lost, 0);
  record(
    `publish → subscribe, ZeroMQ, ${signed ? "signed + verified" : "unsigned"}`,
    median(outcomes.map((o) => o.rate)),
    "msg/s",
    lost ? `${lost} lost` : "none lost",
  );
}

// 3. herald tail --trust, a separate process, verifying what a separate publisher sends.
if (want("tail")) {
  const count = Math.round(50_000 * scale);
  const rates = [];
  for (let run = 0; run < runs; run++) {
    const address = await freeAddress();
    const tail = startProcess(heraldBin, [
      "tail",
      "--connect",
      address,
      "--trust",
      trustFile,
      "--count",
      String(count),
      "--json",
    ]);
    const publisher = await runProcess(floodPublisherScript, [
      "--bind",
      address,
      "--count",
      String(count),
      "--forged",
      "100",
      "--garbage",
      "100",
      "--key",
      keyFile,
      "--keyid",
      "git.bench01",
      "--wait-ms",
      "1500",
    ]);
    const code = await tail.exited;
    if (code !== 0) throw new Error(`bench: herald tail exited ${code}`);
    rates.push(count / ((tail.exitedAt - JSON.parse(publisher.stdout).started) / 1000));
  }
  record(
    "herald tail --trust (separate processes)",
    median(rates),
    "msg/s",
    "with 500 forged and garbage messages mixed in",
  );
}

// 4. herald validate over a file of recorded messages, as an app's CI runs it.
if (want("validate")) {
  const count = Math.round(200_000 * scale);
  const lines = [];
  for (let n = 0; n < count; n++) {
    const topic = catalogue[n % catalogue.length];
    const dataschema = `herald:${topic.name}/${topic.version}`;
    lines.push(
      JSON.stringify(createEnvelope({ topic: `org.example.prod.${topic.name}`, data: topic.examples[0], dataschema })),
    );
  }
  const file = join(dir, "recorded.ndjson");
  writeFileSync(file, `${lines.join("\n")}\n`);
  record(
    "herald validate FILE (whole process, all topics)",
    await opsPerSecond(count, runs, () => runProcess(heraldBin, ["validate", file])),
    "msg/s",
  );
  // A registered schema's pattern runs on the linear-time engine: the ReDoS of issue 27
  // (`^(a+)+$` against 30 a's and a "!", 16 s on V8's engine) is one check like another.
  const redos = compileSchema(
    "herald:shop.redos/1.0",
    { type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } },
    { untrusted: true },
  );
  const hostile = { s: `${"a".repeat(30)}!` };
  const checks = Math.round(20_000 * scale);
  const rate = await opsPerSecond(checks, runs, () => {
    for (let n = 0; n < checks; n++) redos.check(hostile);
  });
  record("a registered ReDoS pattern, 30 characters (one check)", 1_000_000 / rate, "µs", "linear-time engine (re2js)");
}

// 4b. Presenting messages (what tail, the store, IRC, notifications and the monitor do per message):
// every catalogue example through its schema's presentation document.
if (want("present")) {
  const envelopes = catalogue.flatMap((topic) =>
    topic.examples.map((data) =>
      createEnvelope({
        topic: `org.example.prod.${topic.name}`,
        data,
        dataschema: `herald:${topic.name}/${topic.version}`,
      }),
    ),
  );
  const count = Math.round(500_000 * scale);
  record(
    "present a message from its schema (all topics)",
    await opsPerSecond(count, runs, () => {
      for (let n = 0; n < count; n++) present(envelopes[n % envelopes.length]);
    }),
    "msg/s",
  );
}

// 5. Relay round trip: a `herald relay` process, acknowledged publishes from this process.
if (want("relay")) {
  const inbound = await freeAddress();
  const outbound = await freeAddress();
  const relay = startProcess(heraldBin, [
    "relay",
    "--inbound",
    inbound,
    "--outbound",
    outbound,
    "--no-http",
    "--trust",
    trustFile,
  ]);
  await relay.waitFor(/ready/);
  const client = createRelayClient({ relays: [inbound] });
  const signed = (n) =>
    signEnvelope(createEnvelope({ topic: "org.example.prod.git.receive", data: { n } }), signingKey);
  const latencies = [];
  for (let n = 0; n < Math.round(2_000 * scale); n++) {
    const envelope = signed(n);
    const started = performance.now();
    await client.send(envelope);
    latencies.push((performance.now() - started) * 1000);
  }
  record("relay round trip, one at a time (median latency)", median(latencies), "µs");
  const count = Math.round(20_000 * scale);
  const prepared = Array.from({ length: count }, (_, n) => signed(n + 1_000_000));
  record(
    "relay acknowledged throughput, 64 in flight",
    await opsPerSecond(count, 1, async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < count) await client.send(prepared[next++]);
        }),
      );
    }),
    "msg/s",
  );
  await client.close();
  relay.child.kill("SIGTERM");
  await relay.exited;
}

// 6. The message store: ingest from another process, and queries over a million messages.
await benchStore({ record, want, runs, scale, dir, keyFile, trustFile });
await benchAmqp({ record, want, runs, scale, dir, keyFile, trustFile });
await benchConsumers({ record, want, runs, scale, dir });
await benchFaults({ record, want });
await benchSoak({ record, want, dir, trustFile, signingKey, scale });

if (flags.json) {
  process.stdout.write(`${JSON.stringify({ node: process.version, runs, results }, null, 2)}\n`);
} else {
  const width = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(`\n${"benchmark".padEnd(width)}  ${"median".padStart(10)}  unit   note\n`);
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(width)}  ${r.value.toLocaleString("en").padStart(10)}  ${r.unit.padEnd(5)}  ${r.note}\n`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
process.exit(0);
