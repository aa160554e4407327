/**
 * The write comparison of issue #11: POST /transaction at 50 connections against a durable
 * MariaDB, counting what was committed (rows in the table), not what was answered. The original
 * answers before its INSERT runs, so its answers/s overstate its writes; its committed rows/s is
 * measured from the start of the load to the last row its backlog committed.
 */
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { percentile } from "./stats.js";

/** Figures of one write round. */
export interface WriteRound {
  target: string;
  round: number;
  answers: number;
  answersPerSecond: number;
  committedRows: number;
  committedRowsPerSecond: number;
  /** Seconds after the load stopped until the last row was committed (the original's backlog). */
  drainSeconds: number;
  latencyMs: { p50: number; p95: number; p99: number };
  non2xx: number;
}

/** Options of {@link writeRound}. */
export interface WriteRoundOptions {
  target: string;
  round: number;
  url: string;
  /** Rows in the target's table (read over a connection of its own). */
  countRows: () => Promise<number>;
  seconds: number;
  connections: number;
}

/** Longest the drain of a backlog is awaited after the load stops. */
const MAX_DRAIN_MS = 60_000;
/** The row count must stay put this long for the backlog to count as drained. */
const SETTLED_MS = 1_000;

/** Runs one round and measures answers and committed rows. */
export async function writeRound(options: WriteRoundOptions): Promise<WriteRound> {
  const before = await options.countRows();
  const latencies: number[] = [];
  let non2xx = 0;
  const started = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: "/transaction",
        headers: { "content-type": "application/json" },
        body: '{"amount":"12.50","desc":"lunch"}',
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    if (status < 200 || status > 299) non2xx += 1;
  });
  const result = await instance;
  const stopped = performance.now();
  // Wait until the table stops growing (bounded), remembering when it last grew.
  let last = await options.countRows();
  let lastChange = performance.now();
  while (performance.now() - stopped < MAX_DRAIN_MS) {
    await sleep(50);
    const now = await options.countRows();
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    } else if (performance.now() - lastChange >= SETTLED_MS) {
      break;
    }
  }
  const end = Math.max(stopped, lastChange);
  const sorted = Float64Array.from(latencies).sort();
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const committedRows = last - before;
  return {
    target: options.target,
    round: options.round,
    answers: latencies.length,
    answersPerSecond: Math.round(latencies.length / result.duration),
    committedRows,
    committedRowsPerSecond: Math.round(committedRows / ((end - started) / 1_000)),
    drainSeconds: Math.round((Math.max(0, lastChange - stopped) / 1_000) * 100) / 100,
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
    },
    non2xx,
  };
}

/** Fixed-width table of write rounds. */
export function writeTable(rounds: WriteRound[]): string {
  const header = [
    "target",
    "round",
    "answers/s",
    "committed rows/s",
    "drain s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "non-2xx",
  ];
  const rows = rounds.map((r) => [
    r.target,
    String(r.round),
    String(r.answersPerSecond),
    String(r.committedRowsPerSecond),
    r.drainSeconds.toFixed(2),
    r.latencyMs.p50.toFixed(2),
    r.latencyMs.p95.toFixed(2),
    r.latencyMs.p99.toFixed(2),
    String(r.non2xx),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
