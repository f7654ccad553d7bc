import type { ReceivedMessage } from "@herald/sdk";

/** Options of {@link createTriggerQueue}. */
export interface TriggerQueueOptions {
  /** Runs of the command at once (default 1: one after the other). */
  concurrency: number;
  /** Messages that may wait; a message beyond it waits for room, pushing back on the bus. */
  bound: number;
  /**
   * Debounce: run only after this many milliseconds without a new message, once for the whole
   * burst. 0 runs once per message.
   */
  waitForMs: number;
  /** Runs the command for a batch (one message, or a burst when debouncing). */
  run(batch: ReceivedMessage[]): Promise<void>;
}

/** The queue between the bus and the command. */
export interface TriggerQueue {
  /** Adds a message; resolves once there is room for it. */
  push(message: ReceivedMessage): Promise<void>;
  /** Messages waiting, and runs in progress. */
  readonly waiting: number;
  readonly running: number;
  /** Runs what is waiting (a pending debounce at once) and resolves when every run is done. */
  drain(): Promise<void>;
}

/**
 * Queues messages for a trigger's command: at most `concurrency` runs at once, at most `bound`
 * messages waiting, and with `waitForMs` a burst coalesced into one run after it goes quiet.
 */
export function createTriggerQueue(options: TriggerQueueOptions): TriggerQueue {
  const batches: ReceivedMessage[][] = [];
  let gathering: ReceivedMessage[] = [];
  let quietTimer: NodeJS.Timeout | undefined;
  let running = 0;
  let waiting = 0;
  const roomWaiters: (() => void)[] = [];
  const idleWaiters: (() => void)[] = [];

  const pump = () => {
    while (running < options.concurrency && batches.length > 0) {
      const batch = batches.shift() as ReceivedMessage[];
      running++;
      options
        .run(batch)
        .finally(() => {
          running--;
          waiting -= batch.length;
          while (roomWaiters.length > 0 && waiting < options.bound) roomWaiters.shift()?.();
          pump();
        })
        .catch(() => {});
    }
    if (running === 0 && batches.length === 0 && gathering.length === 0)
      for (const idle of idleWaiters.splice(0)) idle();
  };
  const closeBurst = () => {
    quietTimer = undefined;
    if (gathering.length === 0) return;
    batches.push(gathering);
    gathering = [];
    pump();
  };

  return {
    get waiting() {
      return waiting;
    },
    get running() {
      return running;
    },
    async push(message) {
      while (waiting >= options.bound) await new Promise<void>((resolve) => roomWaiters.push(resolve));
      waiting++;
      if (options.waitForMs === 0) {
        batches.push([message]);
        pump();
        return;
      }
      gathering.push(message);
      if (quietTimer !== undefined) clearTimeout(quietTimer);
      quietTimer = setTimeout(closeBurst, options.waitForMs);
    },
    drain() {
      if (quietTimer !== undefined) clearTimeout(quietTimer);
      closeBurst();
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        pump();
      });
    },
  };
}
