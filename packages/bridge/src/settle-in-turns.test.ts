import { describe, expect, it } from "vitest";
import type { ForwardOutcome } from "./bus-forwarder.js";
import { createSettleInTurns } from "./settle-in-turns.js";

describe("settling in turns", () => {
  it("never settles two different outcomes in one turn of the event loop, and keeps the order", async () => {
    let turn = 0;
    const ticking = setInterval(() => {}, 1);
    const seen: Array<{ id: number; outcome: string; turn: number }> = [];
    const settler = createSettleInTurns<number>((id, result) => seen.push({ id, outcome: result.outcome, turn }));
    const outcomes: ForwardOutcome[] = [
      { outcome: "reject", reason: "not JSON" },
      { outcome: "accept" },
      { outcome: "accept" },
      { outcome: "release" },
      { outcome: "reject", reason: "not JSON" },
      { outcome: "reject", reason: "no rule" },
    ];
    // A turn counter that advances between macrotasks (rhea writes on the nextTick of each).
    const counting = (async () => {
      for (let n = 0; n < 20; n++) {
        await new Promise((resolve) => setImmediate(resolve));
        turn++;
      }
    })();
    for (const [id, result] of outcomes.entries()) settler.push(id, result);
    await settler.drained();
    await counting;
    clearInterval(ticking);
    expect(seen.map((item) => item.id)).toEqual([0, 1, 2, 3, 4, 5]);
    for (let n = 1; n < seen.length; n++) {
      const [before, after] = [seen[n - 1], seen[n]] as [(typeof seen)[0], (typeof seen)[0]];
      const sameOutcome =
        before.outcome === after.outcome &&
        (before.outcome !== "reject" ||
          outcomes[before.id] === outcomes[after.id] ||
          JSON.stringify(outcomes[before.id]) === JSON.stringify(outcomes[after.id]));
      if (!sameOutcome) expect(after.turn, `${before.id} and ${after.id}`).toBeGreaterThan(before.turn);
    }
    // The two accepts went together.
    expect(seen[2]?.turn).toBe(seen[1]?.turn);
  });
});
