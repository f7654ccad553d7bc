import { createReadStream, existsSync, realpathSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves the files under `dir` (GET and HEAD; `/` and folders give their index.html), never
 * anything outside it — by path, and by where a symbolic link leads (a link in the folder to
 * `/etc/passwd` is not served). Returns false when no file matches, so the caller can answer otherwise.
 */
export function serveStaticFile(dir: string, request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
  } catch {
    return false;
  }
  const file = normalize(join(dir, path));
  if (file !== normalize(dir) && !file.startsWith(normalize(dir + sep))) return false;
  const target = existsSync(file) && statSync(file).isDirectory() ? join(file, "index.html") : file;
  if (!existsSync(target) || !statSync(target).isFile()) return false;
  const root = realpathSync(dir);
  const real = realpathSync(target);
  if (real !== root && !real.startsWith(root + sep)) return false;
  response.writeHead(200, {
    "content-type": contentTypes[extname(target)] ?? "application/octet-stream",
    "content-length": statSync(target).size,
    "cache-control": "no-cache",
  });
  if (request.method === "HEAD") response.end();
  else createReadStream(target).pipe(response);
  return true;
}
