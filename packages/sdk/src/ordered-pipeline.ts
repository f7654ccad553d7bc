/**
 * Lets work on many items run at once (signatures verifying on worker threads) while results are
 * handed on strictly in arrival order. Items already done when they arrive, with nothing waiting
 * ahead of them, pass straight through without a promise.
 */
export interface OrderedPipeline<T> {
  /** Adds an item; the promise, when there is one, settles once there is room for more. */
  push(item: T | Promise<T>): Promise<void> | undefined;
  /** Resolves once every item pushed so far was handed on. */
  drained(): Promise<void>;
}

/** Creates an {@link OrderedPipeline} with at most `window` items in flight. */
export function createOrderedPipeline<T>(
  window: number,
  deliver: (item: T) => Promise<void> | undefined,
): OrderedPipeline<T> {
  const pending: (T | Promise<T>)[] = [];
  let draining: Promise<void> | undefined;
  // Every caller told to wait is woken: callers that push concurrently (a broker client calling
  // handlers at once) each hold a promise, and one left unresolved would hang its delivery forever.
  const roomWaiters: (() => void)[] = [];

  const drain = async () => {
    while (pending.length > 0) {
      const item = await (pending.shift() as T | Promise<T>);
      await deliver(item);
      while (roomWaiters.length > 0 && pending.length < window) (roomWaiters.shift() as () => void)();
    }
    draining = undefined;
    for (const wake of roomWaiters.splice(0)) wake();
  };

  return {
    push(item) {
      if (draining === undefined && !(item instanceof Promise)) return deliver(item);
      pending.push(item);
      draining ??= drain();
      if (pending.length < window) return undefined;
      return new Promise((resolve) => roomWaiters.push(resolve));
    },
    drained: () => draining ?? Promise.resolve(),
  };
}
