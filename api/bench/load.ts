/** One benchmark scenario: autocannon at 50 connections, client- and server-side latency. */
import { setTimeout } from "node:timers/promises";
import autocannon, { type Request } from "autocannon";
import { SLO_P95_SECONDS } from "../src/slo.js";
import type { Api } from "./api-process.js";
import { bucketDelta, bucketsOf, counterSum, histogramQuantile, percentile } from "./stats.js";

/** Load settings shared by every scenario. */
export const LOAD = {
  connections: 50,
  durationSeconds: Number(process.env.BENCH_DURATION_SECONDS ?? 10),
  warmupSeconds: 2,
};

/** A key of `SLO_P95_SECONDS`. */
export type SloClass = keyof typeof SLO_P95_SECONDS;

/** What to send, and what to compare and check. */
export interface Scenario {
  name: string;
  /** The SLO the client-side p95 is compared with. */
  slo: SloClass;
  requests: Request[];
  warmup?: boolean;
  /** Checks on the server's own counters over the run; returns notes (e.g. cache miss ratio). */
  verify?: (before: string, after: string, total: number) => string[];
}

/** The figures of one scenario run (written to the JSON results). */
export interface ScenarioResult {
  name: string;
  logLevel: string;
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  statusCounts: Record<string, number>;
  /**
   * CPU the API process spent per request. Unlike requests/s it barely moves when other
   * processes compete for the CPU, so it is the figure to compare between runs on a busy machine.
   */
  apiCpuMicrosPerRequest: number | undefined;
  errors: number;
  timeouts: number;
  slo: { class: SloClass; p95Seconds: number; pass: boolean };
  /** p95 per SLO class as the Helm chart's alerts compute it from the API's own histogram. */
  serverP95Ms: Partial<Record<SloClass, number>>;
  notes: string[];
}

/** The API's /metrics text. */
export async function metricsText(api: Api): Promise<string> {
  return (await fetch(`${api.url}/metrics`)).text();
}

/** p95 per SLO class from the request histogram deltas between two scrapes. */
export function serverP95(before: string, after: string): Partial<Record<SloClass, number>> {
  const metric = "http_request_duration_seconds";
  const classes: Array<[SloClass, Array<Record<string, string>>]> = [
    ["cachedRead", [{ method: "GET", cache: "hit" }]],
    ["uncachedRead", [{ method: "GET", cache: "miss" }]],
    [
      "write",
      [
        { method: "POST", route: "/transaction" },
        { method: "DELETE", route: "/transaction" },
        { method: "DELETE", route: "/transaction/:id" },
      ],
    ],
  ];
  const result: Partial<Record<SloClass, number>> = {};
  for (const [name, matches] of classes) {
    const merged = new Map<number, number>();
    for (const match of matches) {
      for (const [le, count] of bucketDelta(
        bucketsOf(after, metric, match),
        bucketsOf(before, metric, match),
      )) {
        merged.set(le, (merged.get(le) ?? 0) + count);
      }
    }
    const p95 = histogramQuantile(0.95, merged);
    if (p95 !== undefined) result[name] = Math.round(p95 * 1e5) / 100;
  }
  return result;
}

/** Runs one scenario (after an optional warm-up) and collects its figures. */
export async function runScenario(
  api: Api,
  scenario: Scenario,
  logLevel: string,
): Promise<ScenarioResult> {
  const options = { url: api.url, connections: LOAD.connections, pipelining: 1, timeout: 10 };
  if (scenario.warmup)
    await autocannon({ ...options, duration: LOAD.warmupSeconds, requests: scenario.requests });
  const before = await metricsText(api);
  const cpuBefore = api.cpuMicros();
  let samples = new Float64Array(1 << 16);
  let count = 0;
  const statusCounts: Record<string, number> = {};
  const instance = autocannon({
    ...options,
    duration: LOAD.durationSeconds,
    requests: scenario.requests,
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (count === samples.length) {
      const grown = new Float64Array(samples.length * 2);
      grown.set(samples);
      samples = grown;
    }
    samples[count++] = ms;
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
  });
  const result = await instance;
  // autocannon stops with up to one request per connection still in flight; let the server
  // finish those so they count in this scenario's server-side figures, not the next one's.
  await setTimeout(300);
  const cpuAfter = api.cpuMicros();
  const after = await metricsText(api);
  const sorted = samples.subarray(0, count).sort();
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const latencyMs = {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[count - 1] ?? Number.NaN),
  };
  const limit = SLO_P95_SECONDS[scenario.slo];
  return {
    name: scenario.name,
    logLevel,
    requests: count,
    durationSeconds: result.duration,
    requestsPerSecond: Math.round(count / result.duration),
    latencyMs,
    statusCounts,
    apiCpuMicrosPerRequest:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : Math.round(((cpuAfter - cpuBefore) / count) * 10) / 10,
    errors: result.errors,
    timeouts: result.timeouts,
    slo: { class: scenario.slo, p95Seconds: limit, pass: latencyMs.p95 / 1_000 <= limit },
    serverP95Ms: serverP95(before, after),
    notes: scenario.verify?.(before, after, count) ?? [],
  };
}

/** Headers of a JSON request body. */
export const JSON_HEADERS = { "content-type": "application/json" };
/** A random element of `ids`. */
export const random = (ids: readonly number[]) => ids[Math.floor(Math.random() * ids.length)]!;

/** A `verify` that reports the cache hits, misses and MySQL queries of `operation`. */
export function cacheRatio(operation: string, expect: "hit" | "miss") {
  return (before: string, after: string, total: number): string[] => {
    const delta = (metric: string) =>
      counterSum(after, metric, { operation }) - counterSum(before, metric, { operation });
    const hits = delta("expense_cache_hits_total");
    const misses = delta("expense_cache_misses_total");
    const queries =
      counterSum(after, "expense_db_query_duration_seconds_count", { operation }) -
      counterSum(before, "expense_db_query_duration_seconds_count", { operation });
    const share = ((expect === "hit" ? hits : misses) / total) * 100;
    // The server also finishes the requests in flight when the client stops, hence ~50 extra.
    return [
      `${operation}: ${hits} cache hits, ${misses} misses, ${queries} MySQL queries ` +
        `for ${total} client requests (${share.toFixed(1)}% ${expect === "hit" ? "hits" : "misses"})`,
    ];
  };
}
