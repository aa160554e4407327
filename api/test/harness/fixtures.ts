/**
 * Test fixtures over the shared MariaDB and Redis of the run: a private database per test file
 * (migrated), a private Redis key prefix, a runtime wired exactly as in production, an HTTP
 * listener on 127.0.0.1, and a logger whose lines the test can read.
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Hono } from "hono";
import mysql from "mysql2/promise";
import type { Config, DatabaseConfig } from "../../src/config.js";
import { runMigrations } from "../../src/db/migrate.js";
import type { AppEnv } from "../../src/http/env.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { createRuntime, type Runtime, type RuntimeOptions } from "../../src/runtime.js";
import { createHttpServer, type HttpServerOptions } from "../../src/server.js";

/** Host and port of a `mysql://` or `redis://` URL. */
export function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : defaultPort };
}

/** Connection settings for `database` on the server at `serverUrl` (user and password from the URL). */
export function databaseConfig(serverUrl: string, database: string): DatabaseConfig {
  const url = new URL(serverUrl);
  return {
    ...hostPort(serverUrl, 3306),
    user: decodeURIComponent(url.username) || "root",
    password: decodeURIComponent(url.password),
    database,
    tls: false,
    poolSize: 10,
  };
}

/** A database of its own for one test file, dropped by `drop()`. */
export interface TestDatabase {
  readonly name: string;
  readonly config: DatabaseConfig;
  /** Runs SQL on the test database over a fresh connection (for checks behind the API's back). */
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * Creates `expense_test_<random>` on the shared server and, unless `migrate` is false, applies
 * the migrations to it.
 */
export async function createTestDatabase(
  serverUrl: string,
  { migrate = true } = {},
): Promise<TestDatabase> {
  const name = `expense_test_${randomBytes(6).toString("hex")}`;
  const { host, port, user, password } = databaseConfig(serverUrl, "");
  const run = async <T>(database: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    const connection = await mysql.createConnection({
      host,
      port,
      user,
      password,
      ...(database ? { database } : {}),
      decimalNumbers: true,
    });
    try {
      const [rows] = await connection.query(sql, params);
      return rows as T[];
    } finally {
      await connection.end();
    }
  };
  await run("", `CREATE DATABASE \`${name}\``);
  const config = databaseConfig(serverUrl, name);
  if (migrate) await runMigrations(config);
  return {
    name,
    config,
    query: (sql, params) => run(name, sql, params),
    drop: async () => {
      await run("", `DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}

/** A configuration for tests: the given database, the Redis at `redisUrl`, silent logs. */
export function testConfig(
  db: DatabaseConfig,
  redisUrl: string,
  overrides: Partial<Config> = {},
): Config {
  const redis = new URL(redisUrl);
  return {
    port: 0,
    logLevel: "silent",
    db,
    redis: {
      ...hostPort(redisUrl, 6379),
      password: decodeURIComponent(redis.password) || undefined,
      tls: false,
    },
    cacheTtlSeconds: 300,
    corsOrigin: "*",
    ...overrides,
  };
}

/** A logger that keeps its JSON lines in memory. */
export function captureLogger(level: "info" | "debug" = "info"): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  raw: () => string;
} {
  const chunks: string[] = [];
  const logger = createLogger({
    level,
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  return {
    logger,
    raw: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Polls `condition` every 20 ms until true; throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** A runtime on a test database and a private key prefix, with Redis connected. */
export async function createTestRuntime(
  config: Config,
  options: RuntimeOptions & { waitForRedis?: boolean; waitForPool?: boolean } = {},
): Promise<Runtime> {
  const { waitForRedis = true, waitForPool = true, ...rest } = options;
  const runtime = createRuntime(config, {
    logger: createLogger({ level: "silent" }),
    keyPrefix: `test:${randomBytes(6).toString("hex")}:`,
    ...rest,
  });
  if (waitForRedis) await waitFor(() => runtime.cache.isUp(), 5_000, "redis ready");
  // As a load balancer would: no traffic before readiness, which waits for the warm pool.
  if (waitForPool) await runtime.poolWarm;
  return runtime;
}

/** An app served over real HTTP on 127.0.0.1 (needed for GET bodies and raw requests). */
export interface Listening {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves `app` on a free port of 127.0.0.1 with the production server settings. */
export async function listen(
  app: Hono<AppEnv>,
  options: HttpServerOptions = {},
): Promise<Listening> {
  const server = createHttpServer(app, options);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The value of one sample in Prometheus text output, or undefined. */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (.+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      found[pair[1]!] = pair[2]!;
    if (Object.entries(labels).every(([key, value]) => found[key] === value))
      return Number(match[3]);
  }
  return undefined;
}
