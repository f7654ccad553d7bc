import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { resolve } from "node:path";
import { openStore, parseSearchQuery, toNdjsonLine } from "@herald/store";
import { withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { createProgress } from "../progress.js";
import { type FilterFlags, filterParams, withFilters } from "../store-filters.js";

/** Flags of `herald store export`. */
export interface StoreExportOptions extends FilterFlags {
  db?: string;
  out?: string;
  config?: string;
}

/** `herald store export`: the matching messages as NDJSON, oldest first, walking the keyset. */
export async function runStoreExport(options: StoreExportOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const filters = parseSearchQuery(filterParams(options));
  const store = await openStore(options.db ?? config.store.db, { mustExist: true });
  const out = options.out === undefined ? io.stdout : createWriteStream(resolve(io.cwd, options.out));
  try {
    const progress = createProgress(io, await store.count(filters), "messages");
    let written = 0;
    let page = await store.scan(filters, 1000);
    for (;;) {
      written += page.raw.length;
      if (!out.write(page.raw.map(toNdjsonLine).join(""))) await once(out, "drain");
      progress.update(written);
      if (page.next === undefined) break;
      page = await store.scan(filters, 1000, page.next);
    }
    progress.stop();
    if (out !== io.stdout) await new Promise<void>((done) => out.end(() => done()));
    io.stderr.write(`herald store export: ${written} message(s) from ${store.location}\n`);
  } finally {
    await store.close();
  }
}

/** `herald store export`: its flags, beside the function that runs it. */
export const storeExportCommand = defineCommand({
  configure: (command) =>
    withConfig(
      withFilters(
        command
          .option("--db <spec>", "sqlite:FILE or postgres://… (default: store.db of the configuration)")
          .option("--out <file>", "write here instead of standard output"),
      ),
    ),
  action: (io) => (options) => runStoreExport(options, io),
});
