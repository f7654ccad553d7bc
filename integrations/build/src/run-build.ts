import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { TopicMap } from "@herald/schemas";
import { LogTail } from "./log-tail.js";

/** A message the wrapper publishes: a schema name and its data. */
export type BuildMessage =
  | { event: "buildsys.build.start"; data: TopicMap["buildsys.build.start"] }
  | { event: "buildsys.build.complete"; data: TopicMap["buildsys.build.complete"] };

/** Options of {@link runBuild}. */
export interface RunBuildOptions {
  command: readonly string[];
  /** What is built; default: the command's first word. */
  name?: string;
  owner?: string;
  /** Publishes one message; awaited, and its failure never changes the build's outcome. */
  publish(message: BuildMessage): Promise<void>;
}

/** How the build ended: the wrapper exits with `exitCode`. */
export interface BuildOutcome {
  status: "succeeded" | "failed" | "cancelled";
  exitCode: number;
  signal?: NodeJS.Signals;
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGTERM: 15,
};

/**
 * Runs a build command with its output passed through, announces `buildsys.build.start` before and
 * `buildsys.build.complete` after (status, exit code, duration, the log's tail). SIGINT, SIGTERM
 * and SIGHUP received meanwhile are passed on to the build. Resolves with the exit code to use:
 * the command's own, or 128 + the signal's number when a signal ended it.
 */
export async function runBuild(options: RunBuildOptions): Promise<BuildOutcome> {
  const [program, ...args] = options.command;
  if (program === undefined) throw new Error("no command to run");
  const name = options.name ?? program;
  const buildId = `${name}-${randomUUID().slice(0, 8)}`;
  const owner = options.owner === undefined ? {} : { owner: options.owner };
  const started = Date.now();
  await options.publish({
    event: "buildsys.build.start",
    data: {
      build_id: buildId,
      name,
      command: [...options.command],
      host: hostname(),
      started_at: new Date(started).toISOString(),
      ...owner,
    },
  });

  const tail = new LogTail();
  const child = spawn(program, args, { stdio: ["inherit", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    tail.push(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail.push(chunk);
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const forwarded: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of forwarded) process.on(signal, forward);
  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on("error", (error) => resolve({ code: 127, signal: null, error }));
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  for (const signal of forwarded) process.off(signal, forward);
  if (ended.error !== undefined) {
    // Said on the terminal too, not only in the message's log tail: exit 127 alone explains nothing.
    const line = `herald build: cannot run ${program}: ${(ended.error as NodeJS.ErrnoException).code === "ENOENT" ? "no such command" : ended.error.message}\n`;
    process.stderr.write(line);
    tail.push(Buffer.from(line));
  }

  const outcome: BuildOutcome =
    ended.signal !== null
      ? { status: "cancelled", exitCode: 128 + (signalNumbers[ended.signal] ?? 0), signal: ended.signal }
      : { status: ended.code === 0 ? "succeeded" : "failed", exitCode: ended.code ?? 1 };
  await options.publish({
    event: "buildsys.build.complete",
    data: {
      build_id: buildId,
      name,
      status: outcome.status,
      exit_code: ended.signal !== null ? null : outcome.exitCode,
      ...(outcome.signal === undefined ? {} : { signal: outcome.signal }),
      duration_ms: Date.now() - started,
      finished_at: new Date().toISOString(),
      log_tail: tail.text(),
      ...owner,
    },
  });
  return outcome;
}
