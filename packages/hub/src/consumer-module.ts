import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";

// Kept free of Herald's packages: a consumer's thread imports this alone, so it starts in
// milliseconds rather than loading the schema catalogue again.

/**
 * Imports a consumer module (an absolute path or a package name) and returns its default export.
 * @throws Error `consumer <module>: cannot be loaded: <first line of the reason>`.
 */
export async function importModuleDefault(module: string): Promise<unknown> {
  try {
    const exports: { default?: unknown } = await import(isAbsolute(module) ? pathToFileURL(module).href : module);
    return exports.default;
  } catch (cause) {
    const reason = (cause as Error).message?.split("\n")[0] ?? String(cause);
    // A consumer imports @herald/hub from its own project, never from the command that hosts it.
    const missing = /Cannot find package '(@herald\/[^']+)'/.exec(reason)?.[1];
    const hint = missing === undefined ? "" : `; the consumer's project needs it: npm install ${missing} there`;
    throw new Error(`consumer ${module}: cannot be loaded: ${reason}${hint}`, { cause });
  }
}
