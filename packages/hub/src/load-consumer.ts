import { catalogue, type SchemaEntry } from "@herald/schemas";
import { HeraldError } from "@herald/sdk";
import { importModuleDefault } from "./consumer-module.js";
import type { AnyConsumer } from "./define-consumer.js";

const builtInEvents: ReadonlySet<string> = new Set(catalogue.map((topic) => topic.name));

/** The event names a set of schema entries knows (an app's own with the built-in ones). */
export function eventsOf(entries: readonly SchemaEntry[] | undefined): ReadonlySet<string> {
  return entries === undefined ? builtInEvents : new Set(entries.map((entry) => entry.name));
}
const namePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Imports a consumer module (an absolute path or a package name) and returns its default export,
 * checked to be a consumer: a valid name, declared events the schemas know (`entries`: the
 * composed catalogue; default the built-in one), a handler.
 * @throws HeraldError `E_CONFIG` naming the module and what is wrong with it.
 */
export async function loadConsumer(module: string, entries?: readonly SchemaEntry[]): Promise<AnyConsumer> {
  return consumerShapeOf(await importDefault(module), module, entries);
}

async function importDefault(module: string): Promise<unknown> {
  try {
    return await importModuleDefault(module);
  } catch (cause) {
    throw new HeraldError("E_CONFIG", (cause as Error).message, { cause });
  }
}

/**
 * Checks that a value is what `defineConsumer` returns.
 * @throws HeraldError `E_CONFIG` naming the module and what is wrong.
 */
export function consumerShapeOf(value: unknown, module: string, entries?: readonly SchemaEntry[]): AnyConsumer {
  const knownEvents = eventsOf(entries);
  const fail = (what: string): never => {
    throw new HeraldError("E_CONFIG", `consumer ${module}: ${what}`);
  };
  if (typeof value !== "object" || value === null)
    return fail("its default export is not a consumer (export default defineConsumer({ … }))");
  const candidate = value as Partial<AnyConsumer>;
  if (typeof candidate.name !== "string" || !namePattern.test(candidate.name))
    fail(`name must match ${namePattern.source}, got ${JSON.stringify(candidate.name)}`);
  if (!Array.isArray(candidate.topics) || candidate.topics.length === 0)
    fail("topics must list the events it handles, e.g. ['git.receive']");
  const unknown = (candidate.topics as unknown[]).filter((event) => !knownEvents.has(event as string));
  if (unknown.length > 0) fail(`topics: unknown event(s) ${unknown.map((event) => JSON.stringify(event)).join(", ")}`);
  if (candidate.publishes !== undefined) {
    if (!Array.isArray(candidate.publishes))
      fail("publishes must list the events it publishes, e.g. ['git.tag.create']");
    const undeclared = (candidate.publishes as unknown[]).filter((event) => !knownEvents.has(event as string));
    if (undeclared.length > 0)
      fail(`publishes: unknown event(s) ${undeclared.map((event) => JSON.stringify(event)).join(", ")}`);
  }
  if (typeof candidate.handle !== "function") fail("handle must be a function");
  return candidate as AnyConsumer;
}
