/**
 * A bounded queue between a producer that can wait (a transport's receive loop) and an async
 * iterator. `push` resolves at once while there is room and waits when the queue is full, which
 * pushes back on the socket instead of growing without bound.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly takers: ((result: IteratorResult<T>) => void)[] = [];
  private readonly roomWaiters: (() => void)[] = [];
  private closed = false;
  /** Set by {@link release}: pushes no longer wait for room. */
  private released = false;

  constructor(private readonly capacity = 1024) {}

  /** Adds an item; the promise settles once there is room for the next one. */
  push(item: T): Promise<void> | undefined {
    if (this.closed) return undefined;
    const taker = this.takers.shift();
    if (taker !== undefined) {
      taker({ value: item, done: false });
      return undefined;
    }
    this.items.push(item);
    if (this.items.length < this.capacity || this.released) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /**
   * Stops pushing back while the producer winds down: every waiting push resolves and the next
   * ones do not wait (the producer's last, bounded items are still queued, never dropped), so a
   * closing subscription does not wait for a reader that may never come.
   */
  release(): void {
    this.released = true;
    for (const waiter of this.roomWaiters.splice(0)) waiter();
  }

  /** Ends iteration after the items already queued; wakes every waiter. */
  close(): void {
    this.closed = true;
    for (const taker of this.takers.splice(0)) taker({ value: undefined, done: true });
    for (const waiter of this.roomWaiters.splice(0)) waiter();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) {
      if (this.items.length < this.capacity) this.roomWaiters.shift()?.();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.takers.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    this.items.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
