import type { Command } from "commander";
import { collect } from "./cli-options.js";

const listFilters = ["topic", "category", "user", "package", "source", "agent", "contains"] as const;

/** The filter flags of the store's commands, named like datagrepper's parameters. */
export interface FilterFlags {
  start?: string;
  end?: string;
  delta?: string;
  topic?: string[];
  category?: string[];
  user?: string[];
  package?: string[];
  source?: string[];
  agent?: string[];
  contains?: string[];
  notTopic?: string[];
  notCategory?: string[];
  notUser?: string[];
  notPackage?: string[];
  notSource?: string[];
  notAgent?: string[];
  notContains?: string[];
}

/** Adds datagrepper's filters as flags: `--topic` (an AMQP pattern works too), `--not-user`, `--delta`… */
export function withFilters(command: Command): Command {
  command
    .option("--start <time>", "from this time: seconds since the epoch or an ISO date")
    .option("--end <time>", "until this time (exclusive)")
    .option("--delta <seconds>", "this many seconds before --end (or now), or after --start");
  for (const name of listFilters) {
    const what =
      name === "topic"
        ? "topic or pattern"
        : name === "contains"
          ? "text"
          : name === "agent"
            ? "agent (who caused it)"
            : name;
    command
      .option(
        `--${name} <${name === "contains" ? "text" : name}>`,
        `only messages with this ${what} (repeatable: any of them)`,
        collect,
      )
      .option(
        `--not-${name} <${name === "contains" ? "text" : name}>`,
        `leave out messages with this ${what} (repeatable)`,
        collect,
      );
  }
  return command;
}

/** The flags as query parameters of the store's API (`not_topic=…`). */
export function filterParams(flags: FilterFlags): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of ["start", "end", "delta"] as const) {
    const value = flags[name];
    if (value !== undefined) params.set(name, value);
  }
  for (const name of listFilters) {
    const negated = `not${name[0]!.toUpperCase()}${name.slice(1)}` as keyof FilterFlags;
    for (const value of (flags[name] as string[] | undefined) ?? []) params.append(name, value);
    for (const value of (flags[negated] as string[] | undefined) ?? []) params.append(`not_${name}`, value);
  }
  return params;
}
