import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const iconDir = join(dirname(require.resolve("lucide-static/package.json")), "icons");
const cache = new Map<string, string>();

/**
 * The SVG of a Lucide icon (the names topic schemas give, `git-commit`, `user-plus`), from the
 * lucide-static package, so the site needs no icon font or CDN. An unknown name gets
 * `message-square`.
 */
export function iconSvg(name: string): string {
  let svg = cache.get(name);
  if (svg === undefined) {
    const file = join(iconDir, `${name}.svg`);
    svg = readFileSync(existsSync(file) ? file : join(iconDir, "message-square.svg"), "utf8")
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace("<svg", '<svg aria-hidden="true" class="icon"')
      .trim();
    cache.set(name, svg);
  }
  return svg;
}
