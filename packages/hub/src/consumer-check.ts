import { catalogueEntries, type SchemaEntry } from "@herald/schemas";
import { createEnvelope, type JsonObject } from "@herald/sdk";
import type { AnyConsumer, AnyConsumerMessage, ConsumerContext } from "./define-consumer.js";
import { consumerShapeOf } from "./load-consumer.js";

/** One rule of the hosting policy (docs/hub.md) and whether the consumer met it. */
export interface CheckFinding {
  rule: "exports a consumer" | "declares its topics" | "bounded time" | "idempotent" | "no secrets in messages";
  ok: boolean;
  detail: string;
}

/** Options of {@link checkConsumer}. */
export interface CheckOptions {
  /** The settings it would be hosted with; point them at a test system: the handler really runs. */
  settings?: Readonly<Record<string, unknown>>;
  /** How long one handler call may take (the hub's `timeout_ms`). */
  timeoutMs: number;
  /** The schemas whose examples it runs on (default: the built-in catalogue). */
  entries?: readonly SchemaEntry[];
}

// Names under which a secret would be published by mistake.
const secretKey = /pass(word)?|secret|token|api[_-]?key|private[_-]?key|credential/i;

/**
 * Tests a consumer against the hosting policy by running it: its shape and declared topics, then
 * its handler on every catalogue example of every declared event, twice (a message may come
 * again: the second run must succeed too), within the time limit, while what it publishes and
 * logs is searched for secrets (secret-like keys, or the value of a secret-like setting).
 */
export async function checkConsumer(value: unknown, module: string, options: CheckOptions): Promise<CheckFinding[]> {
  let consumer: AnyConsumer;
  try {
    consumer = consumerShapeOf(value, module, options.entries);
  } catch (error) {
    return [{ rule: "exports a consumer", ok: false, detail: (error as Error).message }];
  }
  const findings: CheckFinding[] = [
    { rule: "exports a consumer", ok: true, detail: `${consumer.name}` },
    { rule: "declares its topics", ok: true, detail: consumer.topics.join(", ") },
  ];
  const settings = options.settings ?? {};
  const leaks = createLeakDetector(settings);
  const slow: string[] = [];
  const repeatFailures: string[] = [];
  const firstFailures: string[] = [];

  for (const message of exampleMessages(consumer.topics, options.entries ?? catalogueEntries())) {
    for (const run of [1, 2]) {
      const started = performance.now();
      const outcome = await runWithin(consumer, message, settings, options.timeoutMs, leaks);
      const took = Math.round(performance.now() - started);
      const label = `${message.event} example (run ${run})`;
      if (outcome === "timeout") slow.push(`${label} took over ${options.timeoutMs} ms`);
      else if (outcome !== "ok") (run === 1 ? firstFailures : repeatFailures).push(`${label}: ${outcome}`);
      else if (took > options.timeoutMs) slow.push(`${label} took ${took} ms`);
    }
  }
  findings.push({
    rule: "bounded time",
    ok: slow.length === 0 && firstFailures.length === 0,
    detail: [...slow, ...firstFailures].join("; ") || `every example handled within ${options.timeoutMs} ms`,
  });
  findings.push({
    rule: "idempotent",
    ok: repeatFailures.length === 0,
    detail: repeatFailures.join("; ") || "each example handled twice without error",
  });
  findings.push({
    rule: "no secrets in messages",
    ok: leaks.found.length === 0,
    detail: leaks.found.join("; ") || "nothing secret-looking published or logged",
  });
  return findings;
}

/** Every example of every version of the declared events: the JSON Schemas' `examples`. */
function* exampleMessages(events: readonly string[], entries: readonly SchemaEntry[]): Generator<AnyConsumerMessage> {
  for (const event of events) {
    for (const entry of entries.filter((candidate) => candidate.name === event)) {
      for (const data of (entry.document as { examples?: unknown[] }).examples ?? []) {
        const envelope = createEnvelope({
          topic: `org.example.dev.${event}`,
          app: event.split(".")[0] as string,
          data: data as JsonObject,
          dataschema: `herald:${event}/${entry.version}`,
        });
        yield { event, data, topic: envelope.type, envelope, recovered: false } as unknown as AnyConsumerMessage;
      }
    }
  }
}

async function runWithin(
  consumer: AnyConsumer,
  message: AnyConsumerMessage,
  settings: Readonly<Record<string, unknown>>,
  timeoutMs: number,
  leaks: ReturnType<typeof createLeakDetector>,
): Promise<"ok" | "timeout" | string> {
  const signal = AbortSignal.timeout(timeoutMs);
  const context: ConsumerContext = {
    settings,
    signal,
    attempt: 1,
    logger: { info: leaks.scanText, warn: leaks.scanText, error: leaks.scanText },
    publish: async (event, data) => leaks.scanMessage(event, data),
  };
  const deadline = new Promise<"timeout">((resolve) => signal.addEventListener("abort", () => resolve("timeout")));
  try {
    return await Promise.race([Promise.resolve(consumer.handle(message, context)).then(() => "ok" as const), deadline]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function createLeakDetector(settings: Readonly<Record<string, unknown>>) {
  const secrets = Object.entries(settings)
    .filter(([key, value]) => secretKey.test(key) && typeof value === "string" && value.length >= 6)
    .map(([key, value]) => [key, value as string] as const);
  const found: string[] = [];
  const scanText = (text: string) => {
    for (const [key, value] of secrets) if (text.includes(value)) found.push(`the value of setting ${key} was logged`);
  };
  const scanMessage = (event: string, data: object) => {
    const walk = (value: unknown, path: string) => {
      if (typeof value === "string") {
        for (const [key, secret] of secrets)
          if (value.includes(secret)) found.push(`${event}: ${path} carries the value of setting ${key}`);
      } else if (typeof value === "object" && value !== null) {
        for (const [key, child] of Object.entries(value)) {
          if (secretKey.test(key)) found.push(`${event}: published a field named ${path}.${key}`);
          walk(child, `${path}.${key}`);
        }
      }
    };
    walk(data, "data");
  };
  return { found, scanText, scanMessage };
}
