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
