import { createEnvelope, type ReceivedMessage } from "@herald/sdk";
import { describe, expect, it } from "vitest";
import { runCommand } from "./run-command.js";

function received(source: string): ReceivedMessage {
  // As any sender may write it: createEnvelope itself refuses a source that is not a URI reference.
  const envelope = { ...createEnvelope({ topic: "org.example.dev.git.receive", data: { n: 1 } }), source };
  return {
    topic: envelope.type,
    envelope,
    raw: Buffer.from(JSON.stringify(envelope)),
    outcome: "unsigned",
    schema: "none",
  };
}

describe("runCommand", () => {
  it("runs the command for a message whose source holds NUL, with U+FFFD in its place", async () => {
    const out = `/tmp/herald-run-command-${process.pid}.txt`;
    const run = await runCommand(
      "/bin/sh",
      ["-c", `printf %s "$HERALD_SOURCE" > ${out}`],
      [received("/git/a\u0000b")],
      () => "git.receive",
    );
    expect(run).toEqual({ exitCode: 0, signal: null });
    const { readFileSync, rmSync } = await import("node:fs");
    expect(readFileSync(out, "utf8")).toBe("/git/a\uFFFDb");
    rmSync(out);
  });
});
