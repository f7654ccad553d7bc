import { until } from "./test-bus.js";

/** The ids a running `herald store` holds, in its order, read from its `/herald/export`. */
export async function archivedIds(storeUrl: string): Promise<string[]> {
  const text = await (await fetch(`${storeUrl}/herald/export`)).text();
  return text.split("\n").flatMap((line) => (line ? [JSON.parse(line).id as string] : []));
}

/**
 * Waits until the store at `storeUrl` holds at least `count` messages and resolves with the ids it
 * then holds (or, past `timeoutMs`, with what it holds: the test's own assertions say what is
 * missing). Each look is a whole export, so it looks a few times a second, not fifty.
 */
export async function untilArchived(storeUrl: string, count: number, timeoutMs = 60_000): Promise<string[]> {
  let ids: string[] = [];
  await until(
    async () => {
      ids = await archivedIds(storeUrl);
      return ids.length >= count;
    },
    `${count} messages in the archive`,
    timeoutMs,
    250,
  ).catch(() => {});
  return ids;
}
