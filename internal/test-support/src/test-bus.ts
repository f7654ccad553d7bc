import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tcpAddress } from "./ports.js";
import { type RunningProcess, runHerald, startHerald } from "./processes.js";

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
  /** Starts (again) `herald relay --config <config> ...args` and waits until it is ready. */
  startRelay(args?: string[]): Promise<RunningProcess>;
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
      // Subscribers already connected need a moment to reach the new PUB socket.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return relay;
    },
  };
  if (options.relay !== false) await bus.startRelay();
  return bus;
}

/** Waits until `check()` is true, polling; throws naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
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
