/**
 * Prometheus metrics. Each app instance gets its own registry (tests build many apps in one
 * process), and labels only ever take values from small fixed sets: route templates, never paths
 * or ids, so the series count stays bounded whatever clients send.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Request duration buckets (seconds). They include the SLO thresholds (50 ms cached read, 200 ms
 * uncached read, 300 ms write, see `slo.ts`) so `histogram_quantile` is exact at the boundaries
 * the alerts care about; the Helm chart's alert tests check this list.
 */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5];

/** Buckets for single MySQL statements, finer at the low end where healthy queries sit. */
export const DB_QUERY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

/** Buckets for transaction amounts (currency units). */
export const AMOUNT_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000, 10000];

/** Whether a GET was answered from Redis (`hit`), from MySQL (`miss`), or is not cached (`none`). */
export type CacheLabel = "hit" | "miss" | "none";

/** Live readings the gauges take at scrape time. */
export interface HealthProbes {
  redisUp(): boolean;
  databaseUp(): Promise<boolean>;
  poolConnections(): { all: number; free: number; queued: number };
}

type RequestLabels = "method" | "route" | "status" | "cache";

/** The API's metrics, registered on `registry`. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<"method" | "route" | "status">;
  readonly httpDuration: Histogram<RequestLabels>;
  readonly transactionsCreated: Counter;
  readonly transactionsDeleted: Counter;
  readonly transactionAmount: Histogram;
  readonly cacheHits: Counter<"operation">;
  readonly cacheMisses: Counter<"operation">;
  readonly cacheErrors: Counter<"operation">;
  readonly dbQueryDuration: Histogram<"operation">;
  /** Failed MySQL operations by operation and reason (timeout, connection_refused, other). */
  readonly dbErrors: Counter<"operation" | "reason">;
  /** Records one finished HTTP request in the counter and the histogram. */
  observeRequest(
    method: string,
    route: string,
    status: number,
    cache: CacheLabel,
    seconds: number,
  ): void;
  /**
   * {@link Metrics.observeRequest} bound to one label combination ahead of time, for a hot path
   * that knows its labels (no per-request label key or map look-up).
   */
  requestObserver(
    method: string,
    route: string,
    status: number,
    cache: CacheLabel,
  ): (seconds: number) => void;
  /** Connects the health gauges to the live dependencies (done once the app has them). */
  setProbes(probes: HealthProbes): void;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Register the default process metrics (CPU, memory, event loop, GC). @default true */
  defaultMetrics?: boolean;
}

/** Creates a registry with every API metric on it. */
export function createMetrics({ defaultMetrics = true }: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let probes: HealthProbes | undefined;

  const httpRequests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route template and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration in seconds by method, route template, status and cache outcome.",
    labelNames: ["method", "route", "status", "cache"] as const,
    buckets: REQUEST_DURATION_BUCKETS,
    registers,
  });
  new Gauge({
    name: "expense_redis_up",
    help: "1 when the Redis connection is ready and in use, 0 otherwise.",
    registers,
    collect() {
      this.set(probes?.redisUp() ? 1 : 0);
    },
  });
  new Gauge({
    name: "expense_db_up",
    help: "1 when MySQL answers a ping, 0 otherwise.",
    registers,
    async collect() {
      this.set(probes && (await probes.databaseUp()) ? 1 : 0);
    },
  });
  new Gauge({
    name: "expense_db_pool_connections",
    help: "mysql2 pool connections by state: all (open), in_use, free (idle) and queued (waiting requests).",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const stats = probes?.poolConnections() ?? { all: 0, free: 0, queued: 0 };
      this.set({ state: "all" }, stats.all);
      this.set({ state: "in_use" }, stats.all - stats.free);
      this.set({ state: "free" }, stats.free);
      this.set({ state: "queued" }, stats.queued);
    },
  });

  // prom-client hashes the label object on every observation; the bound children of each label
  // combination, remembered by one string key, skip that (one map look-up per request).
  const children = new Map<
    string,
    { count: Counter.Internal; duration: Histogram.Internal<RequestLabels> }
  >();

  const bound = (method: string, route: string, status: number, cache: CacheLabel) => {
    const key = `${method} ${route} ${status} ${cache}`;
    let child = children.get(key);
    if (!child) {
      const code = String(status);
      child = {
        count: httpRequests.labels({ method, route, status: code }),
        duration: httpDuration.labels({ method, route, status: code, cache }),
      };
      children.set(key, child);
    }
    return child;
  };

  return {
    registry,
    httpRequests,
    httpDuration,
    transactionsCreated: new Counter({
      name: "expense_transactions_created_total",
      help: "Transactions inserted.",
      registers,
    }),
    transactionsDeleted: new Counter({
      name: "expense_transactions_deleted_total",
      help: "Transactions deleted (rows, by id or all at once).",
      registers,
    }),
    transactionAmount: new Histogram({
      name: "expense_transaction_amount",
      help: "Amounts of inserted transactions.",
      buckets: AMOUNT_BUCKETS,
      registers,
    }),
    cacheHits: new Counter({
      name: "expense_cache_hits_total",
      help: "Reads answered from Redis, by operation.",
      labelNames: ["operation"] as const,
      registers,
    }),
    cacheMisses: new Counter({
      name: "expense_cache_misses_total",
      help: "Reads that went to MySQL, by operation.",
      labelNames: ["operation"] as const,
      registers,
    }),
    cacheErrors: new Counter({
      name: "expense_cache_errors_total",
      help: "Cache operations that could not use Redis (error, timeout or Redis known down), by operation.",
      labelNames: ["operation"] as const,
      registers,
    }),
    dbQueryDuration: new Histogram({
      name: "expense_db_query_duration_seconds",
      help: "MySQL statement duration in seconds by operation.",
      labelNames: ["operation"] as const,
      buckets: DB_QUERY_BUCKETS,
      registers,
    }),
    dbErrors: new Counter({
      name: "expense_db_errors_total",
      help: "MySQL operations that failed, by operation and reason (timeout, connection_refused, other).",
      labelNames: ["operation", "reason"] as const,
      registers,
    }),
    observeRequest(method, route, status, cache, seconds) {
      const child = bound(method, route, status, cache);
      child.count.inc();
      child.duration.observe(seconds);
    },
    requestObserver(method, route, status, cache) {
      const child = bound(method, route, status, cache);
      return (seconds) => {
        child.count.inc();
        child.duration.observe(seconds);
      };
    },
    setProbes(next) {
      probes = next;
    },
  };
}
