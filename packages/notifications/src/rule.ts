import type { Presentation } from "@herald/schemas";
import { compileTopicPatterns, HeraldError, isValidTopicPattern } from "@herald/sdk";

/** How a matching message reaches the person. */
export type Delivery = "email" | "irc" | "desktop";

/** The deliveries a rule may name. */
export const deliveries: readonly Delivery[] = ["email", "irc", "desktop"];

/** What a user asks for: every condition given must hold. */
export interface RuleInit {
  /** Event-name patterns, without prefix and environment: `git.#`, `account.user.create`. */
  topics?: string[];
  /** Emitting apps: `git`, `wiki`. */
  apps?: string[];
  /** Packages or projects the user follows. */
  packages?: string[];
  /** Only messages naming the user ("things about me"). */
  aboutMe?: boolean;
  delivery: Delivery;
  /** Gather matches and send them together this long after the first; 0 sends at once. */
  digestSeconds?: number;
}

/** A stored rule. */
export interface Rule extends Required<Omit<RuleInit, "topics" | "apps" | "packages">> {
  id: number;
  user: string;
  topics: string[];
  apps: string[];
  packages: string[];
}

/** What a rule is matched against: the message's event name, app and presentation. */
export interface MatchInput {
  event: string;
  app: string;
  presentation: Presentation;
}

/**
 * Checks a rule a user asked for: at least one condition (a rule matching everything would flood
 * them), valid topic patterns, a known delivery, a non-negative digest.
 * @throws HeraldError `E_CONFIG` saying what is wrong.
 */
export function checkRule(init: RuleInit): void {
  const fail = (what: string): never => {
    throw new HeraldError("E_CONFIG", `rule: ${what}`);
  };
  if (!deliveries.includes(init.delivery)) fail(`delivery must be one of ${deliveries.join(", ")}`);
  const conditions = (init.topics?.length ?? 0) + (init.apps?.length ?? 0) + (init.packages?.length ?? 0);
  if (conditions === 0 && init.aboutMe !== true)
    fail("give at least one condition: topics, apps, packages or about-me");
  for (const pattern of init.topics ?? [])
    if (!isValidTopicPattern(pattern)) fail(`${JSON.stringify(pattern)} is not a topic pattern (e.g. git.#)`);
  if (init.digestSeconds !== undefined && !(Number.isInteger(init.digestSeconds) && init.digestSeconds >= 0))
    fail("digest must be a whole number of seconds, 0 or more");
}

/** Compiles a rule into a fast predicate, once per rule (not per message). */
export function compileRule(rule: Rule): (input: MatchInput) => boolean {
  const topics = rule.topics.length === 0 ? undefined : compileTopicPatterns(rule.topics);
  const apps = new Set(rule.apps);
  const packages = new Set(rule.packages);
  return ({ event, app, presentation }) =>
    (topics === undefined || topics(event)) &&
    (apps.size === 0 || apps.has(app)) &&
    (packages.size === 0 || presentation.packages.some((name) => packages.has(name))) &&
    (!rule.aboutMe || presentation.usernames.includes(rule.user));
}

/** A rule in one line, for `herald prefs show` and the web page. */
export function describeRule(rule: Rule): string {
  const parts = [
    ...(rule.aboutMe ? ["about me"] : []),
    ...(rule.topics.length > 0 ? [`topics ${rule.topics.join(", ")}`] : []),
    ...(rule.apps.length > 0 ? [`apps ${rule.apps.join(", ")}`] : []),
    ...(rule.packages.length > 0 ? [`packages ${rule.packages.join(", ")}`] : []),
  ];
  const digest = rule.digestSeconds === 0 ? "at once" : `digest every ${formatDuration(rule.digestSeconds)}`;
  return `${parts.join(" and ")} by ${rule.delivery}, ${digest}`;
}

/** `90` → `90s`, `3600` → `1h`. */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ] as const)
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

/**
 * `30s`, `5m`, `1h`, `1d` or plain seconds → seconds.
 * @throws HeraldError `E_CONFIG` for anything else.
 */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (match === null) throw new HeraldError("E_CONFIG", `${JSON.stringify(text)} is not a duration (30s, 5m, 1h, 1d)`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}
