import { createEnvelope, type Envelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import { createCleanup, startTestBus } from "@herald/test-support";
import { createRelayClient } from "@herald/transport-zeromq";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

describe("herald relay SIGKILLed mid-stream", () => {
  it("remembers every id it acknowledged: after a restart each is a repeat, never published again", async () => {
    const bus = await startTestBus({ keyid: "git.kill01" });
    cleanup.add(() => bus.relay?.stop("SIGKILL"));
    const key = loadSigningKey(bus.keyFile, "git.kill01");
    const envelopes: Envelope[] = Array.from({ length: 400 }, (_, n) =>
      signEnvelope(createEnvelope({ topic: "org.example.dev.git.receive", data: { n } }), key),
    );
    const client = createRelayClient({ relays: [bus.inbound], timeoutMs: 500 });
    cleanup.add(() => client.close());

    // 8 publishers at once; the relay is killed once 150 messages were acknowledged.
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    const publisher = async () => {
      while (next < envelopes.length && !killed) {
        const envelope = envelopes[next++] as Envelope;
        try {
          const ack = await client.send(envelope);
          if (!ack.duplicate) acknowledged.push(ack.id);
        } catch {
          // Not acknowledged: the relay was gone. Such a message may or may not have been seen.
        }
        if (acknowledged.length >= 150 && !killed) {
          killed = true;
          void bus.relay?.stop("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, publisher));
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);
    expect(acknowledged.length).toBeLessThan(envelopes.length);

    await bus.startRelay();
    const again = createRelayClient({ relays: [bus.inbound], timeoutMs: 2000 });
    cleanup.add(() => again.close());
    const byId = new Map(envelopes.map((envelope) => [envelope.id, envelope]));
    const repeats = await Promise.all(
      acknowledged.map(async (id) => (await again.send(byId.get(id) as Envelope)).duplicate),
    );
    expect(repeats.filter((duplicate) => !duplicate)).toEqual([]);
  }, 60_000);
});
