/** The benchmark's console table. */
import { SLO_P95_SECONDS } from "../src/slo.js";
import type { ScenarioResult, SloClass } from "./load.js";

/** Fixed-width table of the results. */
export function table(results: ScenarioResult[]): string {
  const header = [
    "scenario",
    "log",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "non-2xx",
    "API CPU µs/req",
    "SLO p95",
    "server p95 ms",
  ];
  const rows = results.map((r) => [
    r.name,
    r.logLevel,
    String(r.requestsPerSecond),
    r.latencyMs.p50.toFixed(2),
    r.latencyMs.p95.toFixed(2),
    r.latencyMs.p99.toFixed(2),
    String(
      Object.entries(r.statusCounts)
        .filter(([s]) => !s.startsWith("2"))
        .reduce((n, [, c]) => n + c, 0),
    ),
    r.apiCpuMicrosPerRequest === undefined ? "-" : r.apiCpuMicrosPerRequest.toFixed(1),
    `${r.slo.pass ? "PASS" : "FAIL"} (<= ${r.slo.p95Seconds * 1000} ms)`,
    Object.entries(r.serverP95Ms)
      .map(([k, v]) => `${k} ${v}${v / 1000 <= SLO_P95_SECONDS[k as SloClass] ? "" : " FAIL"}`)
      .join(", "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
