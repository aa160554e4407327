/**
 * Latency objectives (p95, seconds) from the requirements. The request histogram's buckets, the
 * benchmark's verdicts and the Helm chart's PrometheusRule thresholds are all checked against these.
 */
export const SLO_P95_SECONDS = {
  /** GET served from Redis. */
  cachedRead: 0.05,
  /** GET that missed the cache and went to MySQL. */
  uncachedRead: 0.2,
  /** POST and DELETE. */
  write: 0.3,
} as const;
