import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { main } from "./cli.js";
import type { CommandIo } from "./io.js";

/** What one in-process run of `herald` printed and returned. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `herald` in this process through `main(argv, io)`, as a user would from `cwd` (a fresh
 * folder by default) with no configuration in the environment. Nothing is spawned.
 */
export async function runInProcess(
  argv: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<InProcessResult> {
  const collect = () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    return { stream, text: () => text };
  };
  const home = mkdtempSync(join(tmpdir(), "herald-home-"));
  const stdout = collect();
  const stderr = collect();
  const io: CommandIo = {
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { PATH: process.env.PATH, NO_COLOR: "1", XDG_CONFIG_HOME: home, XDG_STATE_HOME: home, ...options.env },
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), "herald-cli-")),
  };
  const code = await main(argv, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
