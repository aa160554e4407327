/**
 * Latency statistics for the benchmark: exact percentiles of the client-side samples, and the
 * server-side p95 the Helm chart's alerts would compute from the request histogram.
 */

/** The value at percentile `p` (0-100) of ascending `sorted` samples (nearest rank). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Cumulative bucket counts (`le` -> count) of one histogram series, read from Prometheus text. */
export type Buckets = Map<number, number>;

/**
 * Sums the `_bucket` samples of `metric` whose labels include `match`, per `le`.
 * @param text Prometheus exposition text (`/metrics`).
 */
export function bucketsOf(text: string, metric: string, match: Record<string, string>): Buckets {
  const sums: Buckets = new Map();
  const prefix = `${metric}_bucket{`;
  for (const line of text.split("\n")) {
    if (!line.startsWith(prefix)) continue;
    const close = line.lastIndexOf("}");
    const labels: Record<string, string> = {};
    for (const pair of line.slice(prefix.length, close).matchAll(/(\w+)="([^"]*)"/g))
      labels[pair[1]!] = pair[2]!;
    if (!Object.entries(match).every(([key, value]) => labels[key] === value)) continue;
    const le = labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(labels.le);
    sums.set(le, (sums.get(le) ?? 0) + Number(line.slice(close + 2)));
  }
  return sums;
}

/** `after - before`, per bucket: the observations made in between. */
export function bucketDelta(after: Buckets, before: Buckets): Buckets {
  const delta: Buckets = new Map();
  for (const [le, count] of after) delta.set(le, count - (before.get(le) ?? 0));
  return delta;
}

/**
 * `histogram_quantile(q, ...)` as Prometheus computes it: linear interpolation inside the bucket
 * holding the rank. Returns undefined when there are no observations.
 */
export function histogramQuantile(q: number, buckets: Buckets): number | undefined {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let previousLe = 0;
  let previousCount = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return previousLe;
      return (
        previousLe + ((le - previousLe) * (rank - previousCount)) / (count - previousCount || 1)
      );
    }
    previousLe = le;
    previousCount = count;
  }
  return previousLe;
}

/** Sum of the samples of `metric` whose labels include `match` (counters). */
export function counterSum(
  text: string,
  metric: string,
  match: Record<string, string> = {},
): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(metric) || (line[metric.length] !== "{" && line[metric.length] !== " "))
      continue;
    const close = line.lastIndexOf("}");
    const labels: Record<string, string> = {};
    if (close > 0)
      for (const pair of line.slice(0, close).matchAll(/(\w+)="([^"]*)"/g))
        labels[pair[1]!] = pair[2]!;
    if (Object.entries(match).every(([key, value]) => labels[key] === value)) {
      sum += Number(line.slice(close > 0 ? close + 2 : metric.length + 1));
    }
  }
  return sum;
}
