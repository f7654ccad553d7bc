import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Lucide icons vendored by scripts/vendor-icons.js (ISC license beside them): the site needs no
// icon font or CDN, and the package ships 50 KB instead of lucide-static's 67 MB.
const iconDir = fileURLToPath(new URL("../assets/icons/", import.meta.url));
const cache = new Map<string, string>();

/** The icon shown for a name the site does not have. */
export const fallbackIcon = "message-square";

/**
 * The SVG of a Lucide icon (the names topic schemas give, `git-commit`, `user-plus`). An unknown
 * name gets {@link fallbackIcon}; names are never paths (`../x` is unknown).
 */
export function iconSvg(name: string): string {
  let svg = cache.get(name);
  if (svg === undefined) {
    const known = /^[a-z0-9-]{1,64}$/.test(name) && existsSync(`${iconDir}${name}.svg`);
    svg = readFileSync(`${iconDir}${known ? name : fallbackIcon}.svg`, "utf8")
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace("<svg", '<svg aria-hidden="true" class="icon"')
      .trim();
    if (cache.size < 1000) cache.set(name, svg);
  }
  return svg;
}
