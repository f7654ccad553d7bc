import { HeraldError } from "@herald/sdk";
import { readStoreExport } from "@herald/sdk/internal";
import { fetchStoreJson } from "@herald/store/client";
import { createRelayClient } from "@herald/transport-zeromq";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { collect, storeUrl, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { createProgress } from "../progress.js";
import { type FilterFlags, filterParams, withFilters } from "../store-filters.js";

/** Flags of `herald replay`. */
export interface ReplayOptions extends FilterFlags {
  from?: string;
  relay?: string[];
  dryRun?: boolean;
  config?: string;
}

/** Acknowledgements awaited at once: the relay keeps arrival order, the round trips overlap. */
const window = 64;

/**
 * `herald replay`: re-publishes stored messages through a relay, oldest first, byte for byte as
 * stored, so each still verifies against its signer's key. A relay that accepted an id within its
 * replay window (its `replay_file`: 7 days, across restarts) acknowledges it without publishing
 * it again — replays of archived messages are what that window stops — and that is counted and
 * said; replay through a relay that never saw them (a new bus, a relay with a new replay file).
 */
export async function runReplay(options: ReplayOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const from = options.from ?? config.store.url;
  const params = filterParams(options);
  const { total } = await fetchStoreJson<{ total: number }>(from, "herald/count", params);
  if (options.dryRun) {
    io.stdout.write(`${total} message(s) would be replayed from ${from}\n`);
    return;
  }
  const client = createRelayClient({ relays: options.relay ?? config.relays, timeoutMs: config.relayTimeoutMs });
  const progress = createProgress(io, total, "messages");
  let sent = 0;
  let repeats = 0;
  const inFlight = new Set<Promise<void>>();
  try {
    for await (const body of readStoreExport(from, params)) {
      const ack = client.send(body).then((reply) => {
        sent++;
        if (reply.duplicate) repeats++;
        progress.update(sent);
      });
      const tracked = ack.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } catch (error) {
    await Promise.allSettled(inFlight);
    const reason = HeraldError.isInstance(error) ? error.message : String(error);
    throw new CliError("E_FAILED", `replay stopped after ${sent} message(s): ${reason}`);
  } finally {
    progress.stop();
    await client.close();
  }
  const note =
    repeats === 0
      ? ""
      : ` (${repeats} accepted by the relay before, within its replay window: it did not publish those again)`;
  io.stdout.write(`replayed ${sent - repeats} of ${total} message(s) from ${from}${note}\n`);
}

/** `herald replay`: its flags, beside the function that runs it. */
export const replayCommand = defineCommand({
  configure: (command) =>
    withConfig(
      withFilters(
        command
          .addOption(
            new Option("--from <url>", "the store's query API (default: store.url of the configuration)").argParser(
              storeUrl,
            ),
          )
          .option(
            "--relay <address>",
            "relay inbound address (repeatable; default: relays of the configuration)",
            collect,
          )
          .option("--dry-run", "count what would be replayed, send nothing"),
      ),
    ),
  action: (io) => (options) => runReplay(options, io),
});
