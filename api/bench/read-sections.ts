/**
 * Bench sections for reads:
 * - "ceiling": cached GET /transaction against a bare in-memory Hono server answering the same
 *   body (bench/ceiling-server.mjs), alternating 2 rounds each; the target is >= 0.5.
 * - "growth": GET /transaction (whole table, the original's form) and GET /transaction?limit=100
 *   (keyset pages) at 1k, 10k and 100k rows: first (uncached) answer, cached p50/p95, req/s,
 *   body size and the API's resident memory, each form in a fresh API process.
 */
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type Request } from "autocannon";
import { waitFor, type TestDatabase } from "../test/harness/fixtures.js";
import { freePort } from "../test/harness/servers.js";
import { processCpuMicros, startApi, type Api } from "./api-process.js";
import { percentile } from "./stats.js";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

/** Latency and rate of one autocannon run. */
export interface ReadRun {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p975: number;
  non2xx: number;
}

/** Runs autocannon for `seconds` and summarises it. */
export async function load(
  url: string,
  requests: Request[],
  seconds: number,
  connections: number,
): Promise<ReadRun> {
  const latencies: number[] = [];
  let non2xx = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    requests,
  });
  instance.on("response", (_c: unknown, status: number, _b: number, ms: number) => {
    latencies.push(ms);
    if (status < 200 || status > 299) non2xx += 1;
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    requestsPerSecond: Math.round(latencies.length / result.duration),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p975: round(percentile(sorted, 97.5)),
    non2xx,
  };
}

/** Cached GET /transaction vs the in-memory ceiling; `api` must already serve the seeded list. */
export async function runCeilingSection(api: Api, seconds: number, connections: number) {
  const body = await (await fetch(`${api.url}/transaction`)).text();
  const bodyFile = join(tmpdir(), `expense-ceiling-${process.pid}.json`);
  writeFileSync(bodyFile, body);
  const port = await freePort();
  const child = spawn(process.execPath, [join(BENCH_DIR, "ceiling-server.mjs")], {
    cwd: join(BENCH_DIR, ".."),
    env: { PATH: process.env.PATH ?? "", BODY_FILE: bodyFile, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const ceilingUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      () =>
        fetch(`${ceilingUrl}/health/live`).then(
          (r) => r.ok,
          () => false,
        ),
      20_000,
      "ceiling server",
    );
    const same = await (await fetch(`${ceilingUrl}/transaction`)).text();
    if (same !== body) throw new Error("ceiling body differs from the API's");
    const request: Request[] = [{ method: "GET", path: "/transaction" }];
    await load(ceilingUrl, request, 2, connections);
    await load(api.url, request, 2, connections);
    // CPU time per answer of each server process: on a machine other jobs load, requests/s
    // follow the scheduler's share as much as the code, CPU per request much less.
    const ceilingCpu = () => processCpuMicros(child.pid);
    const measured = async (url: string, cpu: () => number | undefined) => {
      const before = cpu();
      const run = await load(url, request, seconds, connections);
      const after = cpu();
      const answers = run.requestsPerSecond * seconds;
      const cpuMicrosPerRequest =
        before === undefined || after === undefined || answers === 0
          ? undefined
          : Math.round(((after - before) / answers) * 10) / 10;
      return { ...run, cpuMicrosPerRequest };
    };
    const rounds: Array<{ target: string; run: ReadRun & { cpuMicrosPerRequest?: number } }> = [];
    for (let round = 0; round < 2; round += 1) {
      rounds.push({
        target: "ceiling (bare Hono, body in memory)",
        run: await measured(ceilingUrl, ceilingCpu),
      });
      rounds.push({
        target: "API cached GET /transaction",
        run: await measured(api.url, () => api.cpuMicros()),
      });
    }
    const mean = (target: string) => {
      const own = rounds.filter((r) => r.target === target).map((r) => r.run.requestsPerSecond);
      return own.reduce((a, b) => a + b, 0) / own.length;
    };
    const ratio = Math.round((mean(rounds[1]!.target) / mean(rounds[0]!.target)) * 100) / 100;
    for (const { target, run } of rounds) {
      console.log(
        `${target}: ${run.requestsPerSecond} req/s, p50 ${run.p50} ms, p95 ${run.p95} ms, p97.5 ${run.p975} ms, non-2xx ${run.non2xx}, server CPU ${run.cpuMicrosPerRequest ?? "n/a"} µs/req`,
      );
    }
    console.log(`cached GET /transaction at ${ratio} of the ceiling (target >= 0.5)`);
    const cpuMean = (target: string): number | undefined => {
      const own = rounds.filter((r) => r.target === target).map((r) => r.run.cpuMicrosPerRequest);
      let sum = 0;
      for (const value of own) {
        if (value === undefined) return undefined;
        sum += value;
      }
      return sum / own.length;
    };
    const [ceilingCpuMean, apiCpuMean] = [cpuMean(rounds[0]!.target), cpuMean(rounds[1]!.target)];
    const cpuRatio =
      ceilingCpuMean && apiCpuMean
        ? Math.round((ceilingCpuMean / apiCpuMean) * 100) / 100
        : undefined;
    if (cpuRatio !== undefined) {
      console.log(
        `server CPU per request: API ${apiCpuMean!.toFixed(1)} µs, ceiling ${ceilingCpuMean!.toFixed(1)} µs (ceiling/API ${cpuRatio})`,
      );
    }
    return { bodyBytes: Buffer.byteLength(body), rounds, ratio, cpuRatio };
  } finally {
    child.kill("SIGTERM");
    rmSync(bodyFile, { force: true });
  }
}

/** One row of the growth table. */
export interface GrowthRow {
  rows: number;
  form: "whole table" | "page ?limit=100";
  bodyBytes: number;
  firstMs: number;
  cached: ReadRun;
  rssMiB: number;
  peakRssMiB: number;
}

async function seedTo(db: TestDatabase, rows: number): Promise<void> {
  await db.query("TRUNCATE TABLE transactions");
  const batch = 5_000;
  for (let done = 0; done < rows; done += batch) {
    const size = Math.min(batch, rows - done);
    const values = Array.from({ length: size }, (_, i) => [
      ((done + i) % 1000) + 0.5,
      `growth row ${done + i}`,
    ]);
    await db.query("INSERT INTO transactions (amount, description) VALUES ?", [values]);
  }
}

/** GET latency, rate and memory of both forms at each table size. */
export async function runGrowthSection(
  db: TestDatabase,
  env: Record<string, string>,
  sizes: number[],
  seconds: number,
  connections: number,
): Promise<GrowthRow[]> {
  const rows: GrowthRow[] = [];
  const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  for (const size of sizes) {
    await seedTo(db, size);
    const pages = Math.ceil(size / 100);
    const forms: Array<[GrowthRow["form"], string, Request[]]> = [
      ["whole table", "/transaction", [{ method: "GET", path: "/transaction" }]],
      [
        "page ?limit=100",
        "/transaction?limit=100",
        [
          {
            // Pages anywhere in the table, as clients paging through it would ask for them.
            setupRequest: (req) => ({
              ...req,
              method: "GET",
              path: `/transaction?limit=100&after=${Math.floor(Math.random() * pages) * 100}`,
            }),
          },
        ],
      ],
    ];
    for (const [form, firstPath, requests] of forms) {
      // A fresh process and a fresh cache generation per form, so memory and misses are its own.
      const api = await startApi({ ...env, CACHE_TTL_SECONDS: "300" }, "info");
      try {
        await fetch(`${api.url}/transaction/1`, { method: "DELETE" }); // bumps the generations
        const started = performance.now();
        const first = await fetch(`${api.url}${firstPath}`);
        const body = await first.text();
        const firstMs = Math.round((performance.now() - started) * 100) / 100;
        const cached = await load(api.url, requests, seconds, connections);
        const memory = api.memory();
        rows.push({
          rows: size,
          form,
          bodyBytes: Buffer.byteLength(body),
          firstMs,
          cached,
          rssMiB: memory ? mib(memory.rss) : Number.NaN,
          peakRssMiB: memory ? mib(memory.peak) : Number.NaN,
        });
        const r = rows.at(-1)!;
        console.log(
          `${size} rows, ${form}: body ${r.bodyBytes} B, first ${r.firstMs} ms, ${cached.requestsPerSecond} req/s, ` +
            `p50 ${cached.p50} ms, p95 ${cached.p95} ms, RSS ${r.rssMiB} MiB (peak ${r.peakRssMiB})`,
        );
      } finally {
        await api.stop();
      }
    }
  }
  return rows;
}

/** Fixed-width table of the growth rows. */
export function growthTable(rows: GrowthRow[]): string {
  const header = [
    "rows",
    "form",
    "body bytes",
    "first ms",
    "req/s",
    "p50 ms",
    "p95 ms",
    "RSS MiB",
    "peak RSS MiB",
  ];
  const cells = rows.map((r) => [
    String(r.rows),
    r.form,
    String(r.bodyBytes),
    r.firstMs.toFixed(2),
    String(r.cached.requestsPerSecond),
    r.cached.p50.toFixed(2),
    r.cached.p95.toFixed(2),
    String(r.rssMiB),
    String(r.peakRssMiB),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (c: string[]) => c.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
