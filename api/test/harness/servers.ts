/**
 * Throwaway MariaDB and Redis servers for tests and the benchmark, started from the installed
 * server binaries: a temporary data directory, a free port, 127.0.0.1 only, removed on stop.
 * Nothing here touches a system database or a running service.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";

/** A server process started by this module. */
export interface ThrowawayServer {
  /** Connection URL (`mysql://root@127.0.0.1:port` or `redis://127.0.0.1:port`). */
  readonly url: string;
  readonly port: number;
  /** Stops the process (SIGTERM, then SIGKILL) and deletes its data directory. */
  stop(): Promise<void>;
  /** Kills the process at once, as a crash would, keeping the data directory. */
  kill(): Promise<void>;
  /** Starts the process again on the same port and data directory (after kill). */
  restart(): Promise<void>;
}

/** Options of {@link startMariaDb}. */
export interface MariaDbOptions {
  /** Port to listen on. @default a free port */
  port?: number;
  /**
   * Skip the fsync per commit (innodb_flush_log_at_trx_commit=2). Tests want speed; the
   * benchmark keeps durable commits so its write figures mean something.
   * @default true
   */
  fastCommits?: boolean;
}

const SEARCH_DIRS = [
  "/usr/sbin",
  "/usr/local/sbin",
  "/usr/bin",
  "/usr/local/bin",
  "/opt/homebrew/bin",
  "/opt/homebrew/sbin",
];

/** Finds an executable on PATH or in the usual server directories (Debian puts mariadbd in /usr/sbin). */
export function findBinary(...names: string[]): string {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...SEARCH_DIRS].filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(
    `none of ${names.join(", ")} found on PATH or in ${SEARCH_DIRS.join(", ")}; install the server ` +
      "(apt install mariadb-server redis-server, or brew install mariadb redis) or set " +
      "TEST_DATABASE_URL / TEST_REDIS_URL to use existing servers",
  );
}

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
// A test runner killed mid-run must not leave servers behind: kill what is still running.
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

function launch(bin: string, args: string[], logFile: string | undefined): ChildProcess {
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", logFile ? "ignore" : "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntil(
  what: string,
  child: ChildProcess,
  probe: () => Promise<void>,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await sleep(50);
    }
  }
  const log = logFile ? await readFile(logFile, "utf8").catch(() => "") : "";
  await stopChild(child, "SIGKILL");
  throw new Error(
    `${what} did not become ready: ${String(lastError)}\n${log.split("\n").slice(-20).join("\n")}`,
  );
}

async function runToCompletion(bin: string, args: string[]): Promise<void> {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${bin} exited with ${code}:\n${output}`);
}

/**
 * Starts a throwaway MariaDB (or MySQL-compatible `mariadbd`) with root and no password,
 * reachable only on 127.0.0.1.
 */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<ThrowawayServer> {
  const { fastCommits = true } = options;
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), "expense-mariadb-"));
  const dataDir = join(dir, "data");
  const logFile = join(dir, "error.log");
  // mariadbd refuses to run as root unless told which user to be; naming ourselves works for any user.
  const user = `--user=${userInfo().username}`;
  await runToCompletion(findBinary("mariadb-install-db", "mysql_install_db"), [
    "--no-defaults",
    `--datadir=${dataDir}`,
    user,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    "--skip-name-resolve",
  ]);
  const args = [
    "--no-defaults",
    `--datadir=${dataDir}`,
    user,
    "--bind-address=127.0.0.1",
    `--port=${port}`,
    `--socket=${join(dir, "mysqld.sock")}`,
    `--pid-file=${join(dir, "mysqld.pid")}`,
    `--log-error=${logFile}`,
    "--skip-name-resolve",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_unicode_ci",
    "--innodb-buffer-pool-size=64M",
    "--max-connections=500",
    `--innodb-flush-log-at-trx-commit=${fastCommits ? 2 : 1}`,
  ];
  const bin = findBinary("mariadbd", "mysqld");
  const url = `mysql://root@127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const boot = async (): Promise<void> => {
    const started = launch(bin, args, logFile);
    child = started;
    await waitUntil(
      "mariadbd",
      started,
      async () => {
        const connection = await mysql.createConnection({ uri: url, connectTimeout: 1_000 });
        await connection.end();
      },
      logFile,
    );
  };
  await boot();
  return {
    url,
    port,
    kill: () => stopChild(child, "SIGKILL"),
    restart: boot,
    async stop() {
      await stopChild(child, "SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a throwaway redis-server without persistence, reachable only on 127.0.0.1. */
export async function startRedis(options: { port?: number } = {}): Promise<ThrowawayServer> {
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), "expense-redis-"));
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--loglevel",
    "warning",
  ];
  const bin = findBinary("redis-server");
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const boot = async (): Promise<void> => {
    const started = launch(bin, args, undefined);
    child = started;
    started.stderr?.resume();
    await waitUntil("redis-server", started, async () => {
      const client = new Redis(url, {
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on("error", () => undefined);
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    });
  };
  await boot();
  return {
    url,
    port,
    kill: () => stopChild(child, "SIGKILL"),
    restart: boot,
    async stop() {
      await stopChild(child, "SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
  };
}
