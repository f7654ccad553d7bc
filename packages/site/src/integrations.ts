import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** An integration as its package.json's `herald` field describes it. */
export interface IntegrationDoc {
  package: string;
  description: string;
  app: string;
  topics: string[];
  install: string;
  tested: string;
}

/**
 * The integrations installed beside this package (`node_modules/@herald/integration-*`, found by
 * walking up from `from`), read from their package.json: the site's status table and each topic's
 * "emitted by" come from the integrations' own metadata, never a hand-kept list.
 */
export function findIntegrations(from: string): IntegrationDoc[] {
  for (let dir = from; ; dir = dirname(dir)) {
    const scope = join(dir, "node_modules", "@herald");
    if (existsSync(scope)) {
      const found = readdirSync(scope)
        .filter((name) => name.startsWith("integration-"))
        .sort()
        .flatMap((name) => {
          const pkg = JSON.parse(readFileSync(join(scope, name, "package.json"), "utf8"));
          if (pkg.herald === undefined) return [];
          const { app, topics, install, tested } = pkg.herald as Omit<IntegrationDoc, "package" | "description">;
          return [
            { package: pkg.name as string, description: pkg.description as string, app, topics, install, tested },
          ];
        });
      if (found.length > 0) return found;
    }
    if (dirname(dir) === dir) return [];
  }
}
