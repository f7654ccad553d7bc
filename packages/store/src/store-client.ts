import { HeraldError } from "@herald/sdk";
import type { StoreErrorCode } from "./store-errors.js";

/**
 * GETs JSON from a store's query API. The store's own error (a 400 naming the parameter) becomes
 * the message, prefixed with the store's URL.
 * @throws HeraldError `E_STORE` when the store cannot be reached or refuses.
 */
export async function fetchStoreJson<T>(store: string, path: string, params: URLSearchParams): Promise<T> {
  const url = new URL(path, store.endsWith("/") ? store : `${store}/`);
  url.search = params.toString();
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    throw new HeraldError<StoreErrorCode>(
      "E_STORE",
      `${store}: cannot reach the store (${cause?.code ?? (error as Error).message}); is herald store running?`,
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HeraldError<StoreErrorCode>(
      "E_STORE",
      `${store}: answered ${response.status} with something that is not JSON`,
    );
  }
  if (!response.ok)
    throw new HeraldError<StoreErrorCode>(
      "E_STORE",
      `${store}: ${(body as { error?: string }).error ?? `status ${response.status}`}`,
    );
  return body as T;
}
