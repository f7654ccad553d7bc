/**
 * Collects messages from an async iterable across several calls without losing any: a `next()`
 * still pending when one call gives up waiting is kept and awaited by the next call, instead of
 * being abandoned (an abandoned `next()` would swallow the next message).
 */
export function createCollector<T>(iterable: AsyncIterable<T>): (count: number, idleMs?: number) => Promise<T[]> {
  const iterator = iterable[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  return async (count, idleMs = 1500) => {
    const items: T[] = [];
    while (items.length < count) {
      pending ??= iterator.next();
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<"idle">((resolve) => {
        timer = setTimeout(() => resolve("idle"), idleMs);
      });
      const result = await Promise.race([pending, idle]);
      clearTimeout(timer);
      if (result === "idle") break;
      pending = undefined;
      if (result.done) break;
      items.push(result.value);
    }
    return items;
  };
}
