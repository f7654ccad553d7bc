// The relay soak (section `soak`): acknowledged publishes through a `herald relay` process until
// its journal's bounded memory is full (64 MiB of bodies, 500,000 ids), then ≥ 300,000 more, with
// the relay's RSS read before and after those: a leak shows as bytes per message there. The same
// publishes go through three bare zeromq.js controls (relay-control.js) measured the same way.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEnvelope, signEnvelope } from "@herald/sdk";
import { createRelayClient } from "@herald/transport-zeromq";
import { freeAddress, heraldBin, startProcess } from "./processes.js";

const control = fileURLToPath(new URL("./relay-control.js", import.meta.url));
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) * 1024;

/** Sends `count` signed messages (64 in flight) over `topics` topics through a relay client. */
async function publish(client, signingKey, count, offset, topics = 40) {
  const batch = 10_000;
  for (let start = 0; start < count; start += batch) {
    const envelopes = Array.from({ length: Math.min(batch, count - start) }, (_, k) => {
      const n = offset + start + k;
      return signEnvelope(
        createEnvelope({
          topic: `org.example.prod.git.soak${n % topics}`,
          data: { n, repo: "herald", rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", summary: "Fix the relay" },
        }),
        signingKey,
      );
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < envelopes.length) await client.send(envelopes[next++]);
      }),
    );
  }
}

/** Warms a server up, then measures its RSS over `count` more messages: bytes per message. */
async function soak(pid, inbound, signingKey, warmUp, count) {
  const client = createRelayClient({ relays: [inbound] });
  await publish(client, signingKey, warmUp, 0);
  const before = rssOf(pid);
  await publish(client, signingKey, count, warmUp);
  const after = rssOf(pid);
  await client.close();
  return { perMessage: (after - before) / count, rss: after };
}

/** Section `soak`: the relay's memory per message over ≥ 300,000 messages, beside the controls. */
export async function benchSoak({ record, want, dir, trustFile, signingKey, scale }) {
  if (!want("soak")) return;
  const count = Math.round(300_000 * scale);
  // Past the journal's bounds: 500,000 ids (bodies fill 64 MiB well before).
  const warmUp = Math.round(520_000 * scale);
  const inbound = await freeAddress();
  const relay = startProcess(
    heraldBin,
    ["relay", "--inbound", inbound, "--outbound", await freeAddress(), "--no-http", "--trust", trustFile],
    { ...process.env, HERALD_STATE_DIR: join(dir, "soak-state") },
  );
  await relay.waitFor(/ready/);
  const measured = await soak(relay.child.pid, inbound, signingKey, warmUp, count);
  relay.child.kill("SIGTERM");
  await relay.exited;
  record(
    `relay RSS per message over ${count.toLocaleString("en")} (after ${warmUp.toLocaleString("en")} to fill its bounds)`,
    measured.perMessage,
    "B/msg",
    `RSS ${Math.round(measured.rss / 2 ** 20)} MiB at the end`,
  );
  for (const mode of ["router", "router-pub", "router-sync"]) {
    const address = await freeAddress();
    const server = startProcess(control, [
      "--mode",
      mode,
      "--inbound",
      address,
      "--outbound",
      await freeAddress(),
      "--file",
      join(dir, `control-${mode}.log`),
    ]);
    await server.waitFor(/ready/);
    const result = await soak(server.child.pid, address, signingKey, Math.round(50_000 * scale), count);
    server.child.kill("SIGTERM");
    await server.exited;
    record(`control: zeromq.js ${mode}, RSS per message`, result.perMessage, "B/msg");
  }
}
