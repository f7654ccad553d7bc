import {
  type Delivery,
  describeRule,
  openPreferencesStore,
  type PreferencesStore,
  parseDuration,
  preferencesUrl,
} from "@herald/notifications";
import { compileTopicPatterns, HeraldError, isValidTopicPattern } from "@herald/sdk";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { collect, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";

/** Flags every `herald prefs` command takes. */
export interface PrefsOptions {
  db?: string;
  config?: string;
  json?: boolean;
}

/** Flags of `herald prefs add`. */
export interface PrefsAddOptions extends PrefsOptions {
  aboutMe?: boolean;
  topic?: string[];
  app?: string[];
  package?: string[];
  delivery: string;
  digest?: string;
}

async function withStore<T>(
  options: PrefsOptions,
  io: CommandIo,
  work: (store: PreferencesStore) => Promise<T>,
): Promise<T> {
  const config = configFor(options, io);
  const store = await openPreferencesStore(options.db ?? config.notifications.db);
  try {
    return await work(store);
  } catch (error) {
    // A rule or a name the user typed wrong is their mistake: one line, exit 2.
    if (HeraldError.isInstance(error) && error.code === "E_CONFIG") throw new CliError("E_USAGE", error.message);
    throw error;
  } finally {
    await store.close();
  }
}

/** `herald prefs show USER`: the user's addresses and rules. */
export function runPrefsShow(user: string, options: PrefsOptions, io: CommandIo): Promise<void> {
  return withStore(options, io, async (store) => {
    const contact = (await store.contact(user)) ?? { name: user, email: null, ircNick: null };
    const rules = await store.rules(user);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ ...contact, rules })}\n`);
      return;
    }
    io.stdout.write(`${user}: e-mail ${contact.email ?? "(none)"}, IRC ${contact.ircNick ?? "(none)"}\n`);
    if (rules.length === 0) io.stdout.write("no rules: no notifications\n");
    for (const rule of rules) io.stdout.write(`  #${rule.id} ${describeRule(rule)}\n`);
  });
}

/** `herald prefs contact USER --email … --irc-nick …`. */
export function runPrefsContact(
  user: string,
  options: PrefsOptions & { email?: string; ircNick?: string },
  io: CommandIo,
): Promise<void> {
  if (options.email === undefined && options.ircNick === undefined)
    throw new CliError("E_USAGE", "give --email ADDRESS, --irc-nick NICK or both (an empty value clears it)");
  return withStore(options, io, async (store) => {
    await store.setContact(user, {
      ...(options.email === undefined ? {} : { email: options.email || null }),
      ...(options.ircNick === undefined ? {} : { ircNick: options.ircNick || null }),
    });
    io.stdout.write(`saved ${user}'s addresses\n`);
  });
}

/**
 * `herald prefs add USER …`: adds a rule and prints it. Its `--topic` patterns and `--app` names
 * must name events and apps the schema catalogue knows (built-in, the project's schema packages,
 * the configuration's `schemas`), so a typo is refused with the closest name instead of a rule
 * that never matches.
 */
export function runPrefsAdd(user: string, options: PrefsAddOptions, io: CommandIo): Promise<void> {
  checkKnown(
    options,
    schemaCatalogueFor(configFor(options, io), io).entries.map((entry) => entry.name),
  );
  return withStore(options, io, async (store) => {
    const rule = await store.addRule(user, {
      aboutMe: options.aboutMe === true,
      topics: options.topic ?? [],
      apps: options.app ?? [],
      packages: options.package ?? [],
      delivery: options.delivery as Delivery,
      digestSeconds: parseDuration(options.digest ?? "0"),
    });
    io.stdout.write(options.json ? `${JSON.stringify(rule)}\n` : `added #${rule.id}: ${describeRule(rule)}\n`);
  });
}

/** Refuses a `--topic` no known event matches and an `--app` no known event belongs to. */
function checkKnown(options: PrefsAddOptions, events: readonly string[]): void {
  const known = [...new Set(events)].sort();
  const apps = [...new Set(known.map((event) => event.split(".")[0] as string))];
  for (const pattern of options.topic ?? []) {
    if (!isValidTopicPattern(pattern)) continue; // the rule check names what is wrong with it
    const matches = compileTopicPatterns([pattern]);
    if (!known.some((event) => matches(event)))
      throw new CliError(
        "E_USAGE",
        `--topic ${pattern}: no known event matches it${hint(pattern, known)}; known events are listed by herald schema list`,
      );
  }
  for (const app of options.app ?? [])
    if (!apps.includes(app))
      throw new CliError("E_USAGE", `--app ${app}: no such app${hint(app, apps)}; known apps: ${apps.join(", ")}`);
}

/** `: did you mean X?` for the known name closest to a typo, when one is close. */
function hint(typed: string, names: readonly string[]): string {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed, name);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(typed.length / 3))
    ? ` (did you mean ${best.name}?)`
    : "";
}

/** Levenshtein distance, for short names only. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] as number;
}

/** `herald prefs remove USER ID`. */
export function runPrefsRemove(user: string, id: string, options: PrefsOptions, io: CommandIo): Promise<void> {
  return withStore(options, io, async (store) => {
    if (!(await store.removeRule(user, Number(id)))) throw new CliError("E_INPUT", `${user} has no rule #${id}`);
    io.stdout.write(`removed #${id}\n`);
  });
}

/** `herald prefs link USER`: the address of the user's preferences page (whoever has it may edit them). */
export function runPrefsLink(user: string, options: PrefsOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  return withStore(options, io, async (store) => {
    io.stdout.write(`${preferencesUrl(config.notifications.publicUrl, await store.secret(), user)}\n`);
  });
}

const withPrefsDb = (command: Command) =>
  withConfig(command).option("--db <db>", "preferences database (default: notifications.db, else store.db)");

/** `herald prefs show`. */
export const prefsShowCommand = defineCommand({
  configure: (command) => withPrefsDb(command).argument("<user>").option("--json", "print as JSON"),
  action: (io) => (user, options) => runPrefsShow(user, options, io),
});

/** `herald prefs contact`. */
export const prefsContactCommand = defineCommand({
  configure: (command) =>
    withPrefsDb(command)
      .argument("<user>")
      .option("--email <address>", "e-mail address (empty to clear)")
      .option("--irc-nick <nick>", "IRC nick for private messages (empty to clear)"),
  action: (io) => (user, options) => runPrefsContact(user, options, io),
});

/** `herald prefs add`. */
export const prefsAddCommand = defineCommand({
  configure: (command) =>
    withPrefsDb(command)
      .argument("<user>")
      .option("--about-me", "only messages naming the user")
      .option("--topic <pattern>", "event pattern, e.g. git.# (repeatable)", collect)
      .option("--app <app>", "emitting app (repeatable)", collect)
      .option("--package <name>", "a package the user follows (repeatable)", collect)
      .requiredOption("--delivery <how>", "email, irc or desktop")
      .option("--digest <duration>", "gather matches and send them together: 5m, 1h, 1d (default: at once)")
      .option("--json", "print the rule as JSON"),
  action: (io) => (user, options) => runPrefsAdd(user, options, io),
});

/** `herald prefs remove`. */
export const prefsRemoveCommand = defineCommand({
  configure: (command) =>
    withPrefsDb(command).argument("<user>").argument("<id>", "the rule's number, from prefs show"),
  action: (io) => (user, id, options) => runPrefsRemove(user, id, options, io),
});

/** `herald prefs link`. */
export const prefsLinkCommand = defineCommand({
  configure: (command) => withPrefsDb(command).argument("<user>"),
  action: (io) => (user, options) => runPrefsLink(user, options, io),
});
