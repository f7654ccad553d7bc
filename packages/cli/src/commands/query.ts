import type { Presenter } from "@herald/schemas";
import { type Envelope, schemaNameOf } from "@herald/sdk";
import { fetchStoreJson } from "@herald/store/client";
import { Option } from "commander";
import { positiveInteger, storeUrl, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, colorsFor, createBatchedWriter } from "../io.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";
import { type FilterFlags, filterParams, withFilters } from "../store-filters.js";

/** Flags of `herald query`. */
export interface QueryOptions extends FilterFlags {
  from?: string;
  limit?: number;
  order?: "asc" | "desc";
  json?: boolean;
  config?: string;
}

interface SearchResponse {
  raw_messages: Envelope[];
  total: number;
  next_cursor: string | null;
}

/**
 * `herald query`: searches a store's API (`/herald/search`, following `next_cursor` past 100 rows).
 * Prints a table (time, topic, signer, summary) sized to the terminal, or with `--json` one
 * envelope per line.
 */
export async function runQuery(options: QueryOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const from = options.from ?? config.store.url;
  const limit = options.limit ?? 25;
  const params = filterParams(options);
  params.set("order", options.order ?? "desc");
  const found: Envelope[] = [];
  let total = 0;
  let cursor: string | null = null;
  do {
    params.set("rows_per_page", String(Math.min(100, limit - found.length)));
    if (cursor !== null) params.set("cursor", cursor);
    const page: SearchResponse = await fetchStoreJson<SearchResponse>(from, "herald/search", params);
    found.push(...page.raw_messages);
    total = page.total;
    cursor = page.next_cursor;
  } while (cursor !== null && found.length < limit);

  const out = createBatchedWriter(io.stdout);
  if (options.json) for (const envelope of found) out.write(`${JSON.stringify(envelope)}\n`);
  else {
    const { presenter } = schemaCatalogueFor(config, io);
    for (const line of table(found, config.prefix, config.environment, io, presenter)) out.write(`${line}\n`);
    const more = total > found.length ? ` (showing ${found.length}; --limit for more)` : "";
    io.stderr.write(`${total} message(s) match${more}\n`);
  }
  await out.flush();
}

/**
 * The rows as aligned columns, the summary cut to the terminal's width. Written by hand: four
 * columns of which only the last is cut, which a table library would only complicate.
 */
function table(
  envelopes: Envelope[],
  prefix: string,
  environment: string,
  io: CommandIo,
  presenter: Presenter,
): string[] {
  const colors = colorsFor(io.stdout, io.env);
  const width = (io.stdout as { columns?: number }).columns ?? 160;
  const rows = envelopes.map((envelope) => [
    envelope.time.slice(0, 19).replace("T", " "),
    envelope.type,
    envelope.keyid ?? "unsigned",
    presenter.present(envelope, schemaNameOf(envelope.type, prefix, environment)).summary,
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length), 0));
  const room = Math.max(20, width - widths.reduce((sum, w) => sum + w + 2, 0));
  return rows.map(([time, topic, signer, summary]) => {
    const cut = summary!.length > room ? `${summary!.slice(0, room - 1)}…` : summary!;
    return `${colors.dim(time!.padEnd(widths[0]!))}  ${colors.cyan(topic!.padEnd(widths[1]!))}  ${colors.green(signer!.padEnd(widths[2]!))}  ${cut}`;
  });
}

/** `herald query`: its flags, beside the function that runs it. */
export const queryCommand = defineCommand({
  configure: (command) =>
    withConfig(
      withFilters(
        command
          .addOption(
            new Option("--from <url>", "the store's query API (default: store.url of the configuration)").argParser(
              storeUrl,
            ),
          )
          .addOption(new Option("--limit <n>", "at most this many messages (default 25)").argParser(positiveInteger))
          .addOption(new Option("--order <order>", "newest (desc) or oldest (asc) first").choices(["desc", "asc"]))
          .option("--json", "print each message on one line exactly as stored"),
      ),
    ),
  action: (io) => (options) => runQuery(options, io),
});
