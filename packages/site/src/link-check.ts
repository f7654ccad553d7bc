import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** A link that leads nowhere: the page it is on, the link, and why. */
export interface BrokenLink {
  page: string;
  link: string;
  reason: "no such file" | "no such anchor";
}

/**
 * Checks every `href` and `src` of every HTML page under `dir`: the file must exist and, for a
 * `#fragment`, carry that `id`. Links to other sites (`https:`, `mailto:`) are not followed.
 */
export function checkLinks(dir: string): { pages: number; links: number; broken: BrokenLink[] } {
  const pages = listHtml(dir);
  const ids = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let found = ids.get(file);
    if (found === undefined) {
      found = new Set([...readFileSync(file, "utf8").matchAll(/\sid="([^"]+)"/g)].map((match) => match[1] as string));
      ids.set(file, found);
    }
    return found;
  };
  const broken: BrokenLink[] = [];
  let links = 0;
  for (const page of pages) {
    const text = readFileSync(page, "utf8");
    for (const match of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const link = (match[1] as string).replaceAll("&#38;", "&");
      if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith("//")) continue;
      links++;
      const [path = "", fragment] = link.split("#");
      const target = path === "" ? page : resolve(dirname(page), decodeURIComponent(path));
      const file = existsSync(target) && statSync(target).isDirectory() ? join(target, "index.html") : target;
      if (!existsSync(file)) broken.push({ page: relative(dir, page), link, reason: "no such file" });
      else if (fragment !== undefined && fragment !== "" && file.endsWith(".html") && !idsOf(file).has(fragment))
        broken.push({ page: relative(dir, page), link, reason: "no such anchor" });
    }
  }
  return { pages: pages.length, links, broken };
}

function listHtml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listHtml(path);
    return entry.name.endsWith(".html") ? [path] : [];
  });
}
