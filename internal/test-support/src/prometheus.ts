import type { RunningProcess } from "./processes.js";

/** The value of one sample of a Prometheus text page, by metric name and labels; undefined when absent. */
export function metricSample(page: string, name: string, labels: Record<string, string>): number | undefined {
  const line = page
    .split("\n")
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{`) &&
        Object.entries(labels).every(([label, value]) => candidate.includes(`${label}="${value}"`)),
    );
  return line === undefined ? undefined : Number(line.split(" ").pop());
}

/**
 * The /metrics page of a long-running `herald` process, at the address its ready line names
 * (`metrics http://…/metrics`, or a relay's `http http://…/v1/messages`, whose port serves it too).
 */
export async function processMetrics(process: RunningProcess): Promise<string> {
  const said = process.output().stderr;
  const base =
    /ready: .*metrics (http:\/\/[^/\s]+)\/metrics/.exec(said)?.[1] ??
    /ready: .* http (http:\/\/[^/\s]+)\/v1\/messages/.exec(said)?.[1];
  if (base === undefined) throw new Error("the process has not said where it serves /metrics");
  return (await fetch(`${base}/metrics`)).text();
}
