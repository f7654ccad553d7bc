import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { HeraldError } from "../errors.js";

/** Filters of a store's `/herald/export`: datagrepper's parameter names, repeatable ones as arrays. */
export type ExportParams = URLSearchParams | Record<string, string | number | readonly string[] | undefined>;

/** The export URL of a store's query API (`http://host:port`, with or without a trailing slash). */
export function storeExportUrl(store: string, params: ExportParams): URL {
  const url = new URL("herald/export", store.endsWith("/") ? store : `${store}/`);
  if (params instanceof URLSearchParams) {
    url.search = params.toString();
    return url;
  }
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(one));
  }
  return url;
}

/**
 * Reads the messages a store's query API holds (`GET /herald/export`, NDJSON, oldest first), one
 * envelope's bytes at a time, streaming: a long export never sits in memory whole. This is the
 * SDK's side of `@herald/store`'s API, used by gap recovery and by `herald replay`.
 * @throws HeraldError `E_RECOVERY` naming the store when it cannot be reached or refuses the query.
 */
export async function* readStoreExport(
  store: string,
  params: ExportParams,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const url = storeExportUrl(store, params);
  let response: Response;
  try {
    response = await fetch(url, signal === undefined ? {} : { signal });
  } catch (cause) {
    throw new HeraldError("E_RECOVERY", `${store}: cannot reach the store: ${(cause as Error).cause ?? cause}`, {
      cause,
    });
  }
  if (!response.ok || response.body === null) {
    const text = await response.text().catch(() => "");
    let detail = text;
    try {
      detail = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {}
    throw new HeraldError("E_RECOVERY", `${store}: the store answered ${response.status}: ${detail}`);
  }
  const lines = createInterface({
    input: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) if (line !== "") yield Buffer.from(line, "utf8");
}
