import type { ForwardOutcome } from "./bus-forwarder.js";

/** Settles outcomes in turns of the event loop: see {@link createSettleInTurns}. */
export interface SettleInTurns<T> {
  /** Queues one delivery's outcome; it is settled at a later turn of the event loop. */
  push(item: T, result: ForwardOutcome): void;
  /** Resolves once every queued outcome is settled. */
  drained(): Promise<void>;
}

/**
 * rhea 3.0.5 writes the dispositions made in one tick as ranges, and a range of two deliveries
 * takes the first's outcome even when the second's differs: its `write_dispositions` compares
 * outcomes only once a range already holds two (`first !== last && …`). A reject and an accept of
 * consecutive deliveries settled together were both rejected; an accept and a release both
 * accepted. So outcomes are settled in turns: each turn (a `setImmediate`) settles a run of equal
 * outcomes only, which rhea writes on its `nextTick` before the next turn.
 */
export function createSettleInTurns<T>(settle: (item: T, result: ForwardOutcome) => void): SettleInTurns<T> {
  const queue: Array<{ item: T; result: ForwardOutcome }> = [];
  let settling: Promise<void> | undefined;
  const same = (a: ForwardOutcome, b: ForwardOutcome) =>
    a.outcome === b.outcome && (a.outcome !== "reject" || a.reason === (b as typeof a).reason);
  return {
    push(item, result) {
      queue.push({ item, result });
      settling ??= new Promise<void>((resolve) => {
        const turn = () => {
          const first = queue[0]?.result;
          while (first !== undefined && queue.length > 0 && same((queue[0] as (typeof queue)[0]).result, first)) {
            const next = queue.shift() as (typeof queue)[0];
            settle(next.item, next.result);
          }
          if (queue.length > 0) setImmediate(turn);
          else {
            settling = undefined;
            resolve();
          }
        };
        setImmediate(turn);
      });
    },
    drained: () => settling ?? Promise.resolve(),
  };
}
