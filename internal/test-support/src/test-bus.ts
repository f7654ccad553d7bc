import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tcpAddress } from "./ports.js";
import { type RunningProcess, runHerald, startHerald } from "./processes.js";
import { metricSample, processMetrics } from "./prometheus.js";

/** A local bus for an integration test: a key, a trust file, a herald.toml and a running relay. */
export interface TestBus {
  /** A fresh folder holding everything below. */
  dir: string;
  /** herald.toml: the key, the trust file, the relay's addresses, `spool_dir = "spool"`. */
  config: string;
  trustFile: string;
  keyFile: string;
  /** The relay's acknowledged inbound and its outbound (what subscribers connect to). */
  inbound: string;
  outbound: string;
  /** The relay, when started. */
  relay?: RunningProcess;
  /**
   * Starts (again) `herald relay --config <config> ...args` and waits until it is ready and the
   * subscribers the last relay was known to have (see {@link TestBus.joined}) are back on it.
   */
  startRelay(args?: string[]): Promise<RunningProcess>;
  /** Herald subscribers connected to the relay's outbound now (its `herald_subscribers` metric). */
  subscribers(): Promise<number>;
  /**
   * Runs `start` (which starts a tail, a store, a hub…) and resolves with what it returned once
   * `count` more Herald subscribers have their subscriptions on the relay's outbound: from then
   * on they receive what is published. The readiness signal that replaces a pause for ZeroMQ's
   * slow joiner; it waits as long as a loaded machine needs, and no longer.
   */
  joined<T>(start: () => T | Promise<T>, count?: number, timeoutMs?: number): Promise<T>;
}

/**
 * Creates a {@link TestBus} with a new key `keyid` (allowed its default topics or `topics`) and,
 * unless `relay: false`, a relay already running. Stop `bus.relay` when done.
 */
export async function startTestBus(options: { keyid: string; topics?: string[]; relay?: boolean }): Promise<TestBus> {
  const dir = mkdtempSync(join(tmpdir(), "herald-test-"));
  const trustFile = join(dir, "trust.json");
  const topics = (options.topics ?? []).flatMap((pattern) => ["--topics", pattern]);
  await runHerald(["keygen", options.keyid, "--dir", dir, "--trust", trustFile, ...topics]);
  const inbound = await tcpAddress();
  const outbound = await tcpAddress();
  const config = join(dir, "herald.toml");
  writeFileSync(
    config,
    [
      `key_file = "${options.keyid}.pem"`,
      `key_id = "${options.keyid}"`,
      'trust_file = "trust.json"',
      `relays = ["${inbound}"]`,
      // The default: a CI machine under load may take longer than half a second to fsync the journal.
      "relay_timeout_ms = 3000",
      'spool_dir = "spool"',
      "[endpoints]",
      `bus = ["${outbound}"]`,
      "[relay]",
      `inbound = ["${inbound}"]`,
      `outbound = ["${outbound}"]`,
      "http_port = 0",
      "",
    ].join("\n"),
  );
  // The subscribers the relay had when last asked: a restarted relay waits for them to come back.
  let known = 0;
  const bus: TestBus = {
    dir,
    config,
    trustFile,
    keyFile: join(dir, `${options.keyid}.pem`),
    inbound,
    outbound,
    async startRelay(args = []) {
      const relay = startHerald(["relay", "--config", config, ...args]);
      bus.relay = relay;
      await relay.waitFor(/ready/);
      // Subscribers already connected reconnect to the new outbound; one stopped since is not
      // coming back, so this waits a bounded time and then lets the test go on.
      const expected = known;
      await until(async () => (await bus.subscribers()) >= expected, "", 15_000).catch(() => {});
      return relay;
    },
    async subscribers() {
      known = await relaySubscribers(bus.relay);
      return known;
    },
    async joined(start, count = 1, timeoutMs = 30_000) {
      const before = await bus.subscribers();
      const started = await start();
      await until(
        async () => (await bus.subscribers()) >= before + count,
        `${count} more subscriber(s) on the relay's outbound (had ${before}, ${known} now)`,
        timeoutMs,
      );
      return started;
    },
  };
  if (options.relay !== false) await bus.startRelay();
  return bus;
}

/**
 * The `herald_subscribers` of a `herald relay` process started with an HTTP port (`--http 0` will
 * do), from its /metrics.
 */
export async function relaySubscribers(relay: RunningProcess | undefined): Promise<number> {
  if (relay === undefined) throw new Error("no relay is running");
  return metricSample(await processMetrics(relay), "herald_subscribers", { part: "relay" }) ?? 0;
}

/**
 * Waits until a publishing ZeroMQ transport of this process (a relay's outbound) has `count`
 * Herald subscribers with their subscriptions in place: the in-process form of {@link TestBus.joined}.
 */
export function untilSubscribed(
  publishing: { readonly subscribers: number | undefined },
  count = 1,
  timeoutMs = 30_000,
): Promise<void> {
  return until(
    () => (publishing.subscribers ?? 0) >= count,
    `${count} subscriber(s) on the publishing socket (${publishing.subscribers ?? 0} now)`,
    timeoutMs,
  );
}

/**
 * Waits until `check()` is true, polling every `everyMs` (a check that costs a request or a
 * process may ask less often); throws naming `what` after `timeoutMs`. The one way a test waits
 * for something to happen: never a fixed pause.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Collects clean-ups during a test and runs them all, in reverse order, in `afterEach`. */
export function createCleanup(): { add(cleanup: () => unknown): void; run(): Promise<void> } {
  const cleanups: (() => unknown)[] = [];
  return {
    add: (cleanup) => cleanups.push(cleanup),
    async run() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    },
  };
}
