import { spawn } from "node:child_process";
import type { ReceivedMessage } from "@herald/sdk";

/** How one run of a trigger's command ended. */
export interface CommandRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (not found, not executable). */
  error?: string;
}

/**
 * Runs `command` with `args` directly — no shell, so nothing in a message can become shell
 * syntax (fedmsg-trigger pasted message content into a shell string) — with the batch's envelopes
 * on stdin as NDJSON, exactly as received, and `HERALD_*` variables describing the last one.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  batch: readonly ReceivedMessage[],
  schemaName: (topic: string) => string,
): Promise<CommandRun> {
  const last = batch[batch.length - 1] as ReceivedMessage;
  // An environment value cannot hold NUL (spawn would refuse to start): a sender's NUL becomes U+FFFD.
  const value = (text: string) => text.replaceAll("\0", "\uFFFD");
  const env = {
    ...process.env,
    HERALD_TOPIC: value(last.topic),
    HERALD_EVENT: value(schemaName(last.topic)),
    HERALD_ID: value(last.envelope.id),
    HERALD_SOURCE: value(last.envelope.source),
    HERALD_TIME: value(last.envelope.time),
    HERALD_SIGNER: value(last.envelope.keyid ?? ""),
    HERALD_OUTCOME: last.outcome,
    HERALD_COUNT: String(batch.length),
  };
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { env, stdio: ["pipe", "inherit", "inherit"], shell: false });
    } catch (error) {
      resolve({ exitCode: null, signal: null, error: (error as Error).message });
      return;
    }
    child.once("error", (error) => resolve({ exitCode: null, signal: null, error: error.message }));
    child.once("close", (exitCode, signal) => resolve({ exitCode, signal }));
    // A command that does not read its stdin closes the pipe early: that is its choice, not an error.
    child.stdin?.on("error", () => {});
    child.stdin?.end(Buffer.concat(batch.flatMap((message) => [message.raw, Buffer.from("\n")])));
  });
}
