import { createEnvelope, silentLogger } from "@herald/sdk";
import { describe, expect, it } from "vitest";
import { createConsumerRunner } from "./consumer-runner.js";
import type { AnyConsumer, ConsumerMessage } from "./define-consumer.js";

const limits = { concurrency: 2, timeoutMs: 200, attempts: 3, retryDelayMs: 5, isolateAfter: 2 };

function message(username: string): ConsumerMessage {
  const envelope = createEnvelope({ topic: "org.example.dev.account.user.create", data: { username } });
  return { event: "account.user.create", data: { username }, topic: envelope.type, envelope, recovered: false };
}

function consumer(handle: AnyConsumer["handle"]): AnyConsumer {
  return { name: "test", topics: ["account.user.create"], handle };
}

describe("createConsumerRunner", () => {
  it("never runs more handlers at once than its concurrency", async () => {
    let running = 0;
    let most = 0;
    const runner = createConsumerRunner(
      consumer(async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
      }),
      limits,
      { logger: silentLogger, settings: {} },
    );
    const outcomes = [];
    for (let index = 0; index < 10; index++) outcomes.push((await runner.submit(message(`u${index}`))).outcome);
    expect(await Promise.all(outcomes)).toEqual(Array(10).fill("handled"));
    expect(most).toBe(2);
    expect(runner.stats).toMatchObject({ handled: 10, inFlight: 0, waiting: 0 });
  });

  it("retries a failing message with backoff and succeeds on a later attempt", async () => {
    const attempts: number[] = [];
    const runner = createConsumerRunner(
      consumer((_, context) => {
        attempts.push(context.attempt);
        if (context.attempt < 3) throw new Error("not yet");
      }),
      limits,
      { logger: silentLogger, settings: {} },
    );
    expect(await (await runner.submit(message("erin"))).outcome).toBe("handled");
    expect(attempts).toEqual([1, 2, 3]);
    expect(runner.stats).toMatchObject({ handled: 1, retries: 2, failed: 0 });
  });

  it("aborts the signal of an attempt that runs out of time and frees its slot", async () => {
    let aborted = false;
    const runner = createConsumerRunner(
      consumer(async (_, context) => {
        context.signal.addEventListener("abort", () => {
          aborted = true;
        });
        await new Promise(() => {});
      }),
      { ...limits, attempts: 1, timeoutMs: 30 },
      { logger: silentLogger, settings: {} },
    );
    expect(await (await runner.submit(message("slow"))).outcome).toBe("failed");
    expect(aborted).toBe(true);
    expect(runner.stats).toMatchObject({ timeouts: 1, failed: 1, inFlight: 0 });
    expect(runner.lastError).toContain("timed out after 30 ms");
  });

  it("isolates a consumer after enough messages in a row failed, and takes no more until resumed", async () => {
    const reasons: string[] = [];
    let calls = 0;
    const runner = createConsumerRunner(
      consumer(() => {
        calls++;
        throw new Error("database is down");
      }),
      limits,
      { logger: silentLogger, settings: {}, onIsolated: (reason) => reasons.push(reason) },
    );
    expect(await (await runner.submit(message("a"))).outcome).toBe("failed");
    expect(runner.state).toBe("running");
    expect(await (await runner.submit(message("b"))).outcome).toBe("failed");
    expect(runner.state).toBe("isolated");
    expect(reasons).toEqual(["2 messages in a row failed; last: database is down"]);
    expect(await (await runner.submit(message("c"))).outcome).toBe("isolated");
    expect(calls).toBe(6);
    runner.resume();
    expect(await (await runner.submit(message("d"))).outcome).toBe("failed");
    expect(calls).toBe(9);
  });
});
