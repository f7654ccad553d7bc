import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./vectors.js";

/** The `herald` command of this checkout (built). */
export const heraldBin = join(repoRoot, "packages/cli/bin/herald.js");

/** What a finished process printed and returned. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options for running a process. */
export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs `node <script> ...args` to completion. */
export function runNode(script: string, args: string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    // A bound on a process that hangs, not on one that is slow: a loaded machine may take long.
    const limitMs = options.timeoutMs ?? 120_000;
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      // Said, so a test that fails on it shows why rather than an empty output.
      if (killed) stderr += `\n[test-support: killed after ${limitMs} ms, still running]\n`;
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Runs `herald ...args` to completion. */
export function runHerald(args: string[], options: RunOptions = {}): Promise<ProcessResult> {
  return runNode(heraldBin, args, options);
}

/** `herald publish --config CONFIG --topic TOPIC --data JSON`: one message through the configured relays. */
export function publishWithHerald(config: string, topic: string, data: object): Promise<ProcessResult> {
  return runHerald(["publish", "--config", config, "--topic", topic, "--data", JSON.stringify(data)]);
}

/**
 * Waits until a subscriber started with `startHerald` (a tail, say) really receives: ZeroMQ drops
 * what is published before a subscription reached the publisher, and a process's start-up takes
 * longer on a loaded machine than any fixed pause. Publishes `account.user.create` probes (a topic
 * of the default environment, so no bridge configured for another forwards them) every half second
 * until one shows in its stdout. Returns how many lines the probes took, to skip.
 */
export async function untilListening(subscriber: RunningProcess, config: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let probe = 0; Date.now() < deadline; probe++) {
    const username = `probe${probe}`;
    const published = await publishWithHerald(config, "account.user.create", { username });
    if (published.code !== 0) throw new Error(`the probe was not published: ${published.stderr}`);
    for (const until = Date.now() + 500; Date.now() < until; ) {
      if (subscriber.output().stdout.includes(`"${username}"`) || subscriber.output().stdout.includes(` ${username}`))
        return subscriber
          .output()
          .stdout.split("\n")
          .filter((line) => line !== "").length;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error("the subscriber never received a probe");
}

/** A long-running process, with what it printed so far. */
export interface RunningProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout or stderr has printed text matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node <script> ...args` in the background. */
export function startNode(
  script: string,
  args: string[],
  options: Omit<RunOptions, "input" | "timeoutMs"> = {},
): RunningProcess {
  return startProcess(process.execPath, [script, ...args], options);
}

/** Starts any program in the background (a Python peer, a Debian app). */
export function startProcess(
  command: string,
  args: string[],
  options: Omit<RunOptions, "input" | "timeoutMs"> = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    notify();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    notify();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    // A bound on a process that never says it, not on a slow one: on a two-core machine running
    // two suites at once a process that loads a consumer in a thread of its own took over 20 s.
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`timed out waiting for ${pattern}; stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)}`),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts `herald ...args` in the background. */
export function startHerald(args: string[], options: Omit<RunOptions, "input" | "timeoutMs"> = {}): RunningProcess {
  return startNode(heraldBin, args, options);
}
