// Timing helpers of the benchmark: every figure is the median of several runs, because these
// machines are noisy.

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs `work` (which does `count` operations) `runs` times; returns the median operations per second. */
export async function opsPerSecond(count, runs, work) {
  const rates = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work();
    rates.push(count / ((performance.now() - started) / 1000));
  }
  return median(rates);
}
