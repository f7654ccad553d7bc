import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { signingKeyFromConfig } from "@herald/sdk";
import { createRelayClient, createSpool, flushSpool } from "@herald/transport-zeromq";
import { CliError } from "../cli-error.js";
import { collect, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";

/** `herald spool flush`: delivers what waited, oldest first. Exit 0 only once nothing is left. */
export async function runSpoolFlush(
  options: { dir?: string; relay?: string[]; config?: string },
  io: CommandIo,
): Promise<void> {
  const config = configFor(options, io);
  const spool = createSpool(options.dir === undefined ? config.spoolDir : resolve(io.cwd, options.dir));
  const client = createRelayClient({ relays: options.relay ?? config.relays, timeoutMs: config.relayTimeoutMs });
  try {
    const signingKey = signingKeyFromConfig(config);
    const result = await flushSpool(
      spool,
      async (_topic, body) => {
        await client.send(body);
      },
      signingKey === undefined ? {} : { signingKey },
    );
    io.stdout.write(`sent ${result.sent}, refused ${result.refused}, left ${result.left}\n`);
    if (result.refused > 0)
      io.stderr.write(`herald: refused messages are in ${spool.dir}/refused with their reasons\n`);
    if (result.left > 0)
      throw new CliError("E_QUEUED", `no relay acknowledged; ${result.left} message(s) still queued in ${spool.dir}`);
  } finally {
    await client.close();
  }
}

/** `herald spool list`: what is waiting. */
export async function runSpoolList(
  options: { dir?: string; json?: boolean; config?: string },
  io: CommandIo,
): Promise<void> {
  const config = configFor(options, io);
  const spool = createSpool(options.dir === undefined ? config.spoolDir : resolve(io.cwd, options.dir));
  const rows = spool.pending().map((file) => {
    // An envelope, or a {topic, data, time} post the MediaWiki extension queued.
    const queued = JSON.parse(readFileSync(file, "utf8")) as {
      id?: string;
      type?: string;
      topic?: string;
      time?: string;
    };
    return {
      file,
      id: queued.id ?? "(not yet an envelope)",
      type: queued.type ?? queued.topic ?? "?",
      time: queued.time ?? "?",
    };
  });
  if (options.json) io.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const row of rows) io.stdout.write(`${row.time}  ${row.type}  ${row.id}\n`);
}

/** `herald spool flush`: its arguments and flags, beside the function that runs it. */
export const spoolFlushCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--dir <dir>", "the spool folder (default: spool_dir of the configuration)")
        .option(
          "--relay <address>",
          "relay inbound address (repeatable; default: relays of the configuration)",
          collect,
        ),
    ),
  action: (io) => (options) => runSpoolFlush(options, io),
});

/** `herald spool list`: its arguments and flags, beside the function that runs it. */
export const spoolListCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option("--dir <dir>", "the spool folder (default: spool_dir of the configuration)")
        .option("--json", "print as JSON"),
    ),
  action: (io) => (options) => runSpoolList(options, io),
});
