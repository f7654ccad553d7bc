import { fetchStoreJson } from "@herald/store/client";
import { Option } from "commander";
import { storeUrl, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, colorsFor } from "../io.js";
import { sparkline } from "../sparkline.js";
import { type FilterFlags, filterParams, withFilters } from "../store-filters.js";

/** Flags of `herald stats`. */
export interface StatsOptions extends FilterFlags {
  from?: string;
  /** `app` is the store's `category` (the app a topic belongs to), by its Herald name. */
  by?: "topic" | "app" | "category" | "user";
  interval?: "hour" | "day";
  json?: boolean;
  config?: string;
}

type Row = Record<string, string> & { count: number };

/**
 * `herald stats`: counts per topic (or app, user) over a time range (default: the last 24 hours
 * by hour, or 30 days by day), each with a sparkline of its counts per bucket.
 */
export async function runStats(options: StatsOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const by = options.by === "app" ? "category" : (options.by ?? "topic");
  const interval = options.interval ?? "hour";
  const bucketMs = interval === "hour" ? 3_600_000 : 86_400_000;
  const params = filterParams(options);
  if (!params.has("start") && !params.has("delta"))
    params.set("delta", String(interval === "hour" ? 86_400 : 30 * 86_400));
  params.append("by", by);
  params.append("by", interval);
  const { rows } = await fetchStoreJson<{ rows: Row[] }>(options.from ?? config.store.url, "herald/stats", params);

  const series = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const key = row[by]!;
    const buckets = series.get(key) ?? new Map<number, number>();
    buckets.set(Date.parse(row[interval]!), row.count);
    series.set(key, buckets);
  }
  const totals = [...series].map(([key, buckets]) => ({
    key,
    total: [...buckets.values()].reduce((a, b) => a + b, 0),
    buckets,
  }));
  totals.sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ by, interval, rows: totals.map(({ key, total }) => ({ [by]: key, count: total })), series: rows })}\n`,
    );
    return;
  }
  if (totals.length === 0) {
    io.stderr.write("no messages in this range\n");
    return;
  }
  // Buckets from the first to the last seen over every key, so sparklines line up.
  const times = rows.map((row) => Date.parse(row[interval]!));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const axis = Array.from({ length: Math.round((last - first) / bucketMs) + 1 }, (_, n) => first + n * bucketMs);
  const colors = colorsFor(io.stdout, io.env);
  const utf8 = /utf-?8/i.test(`${io.env.LC_ALL ?? ""}${io.env.LC_CTYPE ?? ""}${io.env.LANG ?? ""}`);
  const keyWidth = Math.max(...totals.map(({ key }) => key.length));
  const countWidth = String(totals[0]!.total).length;
  for (const { key, total, buckets } of totals) {
    const line = sparkline(
      axis.map((time) => buckets.get(time) ?? 0),
      utf8,
    );
    io.stdout.write(`${String(total).padStart(countWidth)}  ${key.padEnd(keyWidth)}  ${colors.cyan(line)}\n`);
  }
  const span = (time: number) =>
    new Date(time)
      .toISOString()
      .slice(0, interval === "hour" ? 13 : 10)
      .replace("T", " ");
  io.stderr.write(`per ${interval} from ${span(first)} to ${span(last)} UTC\n`);
}

/** `herald stats`: its flags, beside the function that runs it. */
export const statsCommand = defineCommand({
  configure: (command) =>
    withConfig(
      withFilters(
        command
          .addOption(
            new Option("--from <url>", "the store's query API (default: store.url of the configuration)").argParser(
              storeUrl,
            ),
          )
          .addOption(
            new Option("--by <dimension>", "what to count by")
              .choices(["topic", "app", "category", "user"])
              .default("topic"),
          )
          .addOption(new Option("--interval <bucket>", "sparkline bucket").choices(["hour", "day"]).default("hour"))
          .option("--json", "print the counts as JSON"),
      ),
    ),
  action: (io) => (options) => runStats(options, io),
});
