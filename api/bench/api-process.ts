/** The API under test as its own process (`node dist/server.js`, as in the image). */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "../test/harness/fixtures.js";
import { freePort } from "../test/harness/servers.js";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));

/** A running API process. */
export interface Api {
  url: string;
  stop(): Promise<void>;
  logBytes(): number;
  /** CPU time (user + system) the API process has used, in microseconds; undefined off Linux. */
  cpuMicros(): number | undefined;
  /** Resident memory now and at its peak (VmRSS, VmHWM), in bytes; undefined off Linux. */
  memory(): { rss: number; peak: number } | undefined;
}

/** CPU time (user + system) a process has used, in microseconds; undefined off Linux. */
export function processCpuMicros(pid: number | undefined): number | undefined {
  if (process.platform !== "linux" || !pid) return undefined;
  // Fields 14 and 15 of /proc/<pid>/stat: utime and stime in clock ticks (100 per second).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

const children = new Set<ChildProcess>();
process.once("exit", () => children.forEach((child) => child.kill("SIGKILL")));

/** Starts `node dist/server.js` with `env` on a free port; logs go to a temporary file. */
export async function startApi(env: Record<string, string>, logLevel: string): Promise<Api> {
  const port = await freePort();
  const logFile = join(tmpdir(), `expense-bench-api-${process.pid}-${logLevel}.log`);
  // Production logs go to stdout and a collector reads them; here a file plays the collector.
  // The file is the child's stdout itself: piped through this process, the access log (hundreds
  // of megabytes at info) would cost the load generator's event loop, which shares this process,
  // and slow the client down in the API's runs only (the ceiling server logs nothing).
  const log = openSync(logFile, "w");
  const child = spawn(process.execPath, ["dist/server.js"], {
    cwd: API_DIR,
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port), LOG_LEVEL: logLevel },
    stdio: ["ignore", log, "inherit"],
  });
  closeSync(log);
  children.add(child);
  const url = `http://127.0.0.1:${port}`;
  // Traffic starts when readiness says so, as behind a load balancer (it waits for the pool).
  const ready = () =>
    fetch(`${url}/health/ready`).then(
      (res) => res.ok,
      () => false,
    );
  await waitFor(async () => child.exitCode !== null || (await ready()), 20_000, "API ready");
  if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
  return {
    url,
    logBytes: () => statSync(logFile).size,
    cpuMicros: () => processCpuMicros(child.pid),
    memory: () => {
      if (process.platform !== "linux" || !child.pid) return undefined;
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = (field: string) =>
        Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
      return { rss: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      children.delete(child);
      // A 10 s run at info writes hundreds of megabytes of access log: keep only its size.
      rmSync(logFile, { force: true });
    },
  };
}
