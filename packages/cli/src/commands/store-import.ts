import { createReadStream, statSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { createSchemaRegistry } from "@herald/schemas";
import type { RejectReason } from "@herald/sdk";
import { createAdmission, envelopeTypeOf, readStoreExport } from "@herald/sdk/internal";
import { createIngestBuffer, openStore, toStoredMessage } from "@herald/store";
import { fetchStoreJson } from "@herald/store/client";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { storeUrl, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { createProgress, type Progress } from "../progress.js";
import { receivingTrust } from "../receiving-trust.js";
import { stderrLogger } from "../stderr-logger.js";
import { type FilterFlags, filterParams, withFilters } from "../store-filters.js";

/** Flags of `herald store import`. */
export interface StoreImportOptions extends FilterFlags {
  db?: string;
  from?: string;
  trust?: string;
  insecure?: boolean;
  config?: string;
}

/** One envelope to import and where it came from, for messages. */
interface Line {
  body: Buffer;
  where: string;
}

/** Lines of NDJSON files (or stdin), advancing the progress by bytes read. */
async function* fileLines(files: string[], io: CommandIo, progress: (bytes: number) => void): AsyncGenerator<Line> {
  let bytes = 0;
  const inputs =
    files.length === 0
      ? [{ name: "stdin", stream: io.stdin }]
      : files.map((name) => ({ name, stream: createReadStream(resolve(io.cwd, name)) }));
  for (const { name, stream } of inputs) {
    let number = 0;
    try {
      for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
        number++;
        bytes += Buffer.byteLength(line) + 1;
        progress(bytes);
        if (line.trim() !== "") yield { body: Buffer.from(line, "utf8"), where: `${name}:${number}` };
      }
    } catch (error) {
      throw new CliError("E_IO", `${name}: cannot read: ${(error as Error).message}`);
    }
  }
}

/**
 * `herald store import`: verifies each envelope as a subscriber would (a file is not trusted more
 * than the bus) and stores it in batches; a duplicate id is stored once. Refusals are reported
 * with file and line.
 */
export async function runStoreImport(files: string[], options: StoreImportOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { trust, policy } = receivingTrust(options, config, io, "import unverified messages");
  const params = filterParams(options);
  if (options.from === undefined && params.size > 0)
    throw new CliError("E_USAGE", "filters apply to --from only; to import part of a file, filter it first");
  if (options.from !== undefined && files.length > 0) throw new CliError("E_USAGE", "give files or --from, not both");
  const logger = stderrLogger("store import", io);
  const prefixTokens = config.prefix.split(".").length;

  let progress: Progress;
  let lines: AsyncIterable<Line>;
  if (options.from === undefined) {
    const total = files.reduce((sum, file) => sum + statSafe(resolve(io.cwd, file)), 0);
    progress = createProgress(io, total, "bytes");
    lines = fileLines(files, io, (bytes) => progress.update(bytes));
  } else {
    const from = options.from;
    const { total } = await fetchStoreJson<{ total: number }>(from, "herald/count", params);
    progress = createProgress(io, total, "messages");
    lines = (async function* () {
      let number = 0;
      for await (const body of readStoreExport(from, params)) {
        progress.update(++number);
        yield { body, where: `${from} message ${number}` };
      }
    })();
  }

  const store = await openStore(options.db ?? config.store.db);
  const buffer = createIngestBuffer(store, { logger });
  const refused = new Map<RejectReason, number>();
  let shown = 0;
  const admission = createAdmission({
    policy,
    schemas: createSchemaRegistry(),
    ...(trust === undefined ? {} : { trust }),
  });
  try {
    for await (const { body, where } of lines) {
      let topic = "";
      try {
        topic = envelopeTypeOf(body);
      } catch {}
      const result = await admission.admit({ topic, body });
      if (result.status === "rejected") {
        const { reason, detail } = result.rejection;
        refused.set(reason, (refused.get(reason) ?? 0) + 1);
        if (++shown <= 10) logger.warn(`${where}: refused: ${reason} (${detail})`);
        continue;
      }
      if (result.status === "accepted") {
        const full = buffer.add(toStoredMessage(result.message, prefixTokens));
        if (full !== undefined) await full;
      }
    }
  } finally {
    progress.stop();
    await buffer.close();
    await store.close();
  }
  const { stored } = buffer.stats;
  const duplicates = buffer.stats.duplicates + admission.stats.duplicates;
  const total = [...refused.values()].reduce((sum, count) => sum + count, 0);
  const reasons = [...refused].map(([reason, count]) => `${reason} ${count}`).join(", ");
  io.stderr.write(
    `herald store import: stored ${stored} message(s) into ${store.location}, ${duplicates} already there, ${total} refused${total === 0 ? "" : ` (${reasons})`}\n`,
  );
  if (total > 0) throw new CliError("E_FAILED", `${total} message(s) were refused and not stored`);
}

const statSafe = (file: string) => {
  try {
    return statSync(file).size;
  } catch (error) {
    throw new CliError("E_IO", `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
};

/** `herald store import`: its arguments and flags, beside the function that runs it. */
export const storeImportCommand = defineCommand({
  configure: (command) =>
    withConfig(
      withFilters(
        command
          .argument("[files...]", "NDJSON files, one envelope per line (default: standard input)")
          .option("--db <spec>", "sqlite:FILE or postgres://… (default: store.db of the configuration)")
          .addOption(
            new Option("--from <url>", "read from this store's query API instead of files (filters apply)").argParser(
              storeUrl,
            ),
          )
          .option("--trust <file>", "trust file (default: trust_file of the configuration)")
          .option("--insecure", "store every well-formed message, verified or not"),
      ),
    ),
  action: (io) => (files, options) => runStoreImport(files, options, io),
});
