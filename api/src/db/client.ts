/**
 * The MySQL side: one mysql2 pool per process, drizzle on top of it, plus the small health
 * helpers (ping, pool statistics) the readiness probe and the metrics need.
 */
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2";
import mysql, { type Pool, type PoolOptions } from "mysql2/promise";
import type { DatabaseConfig } from "../config.js";
import * as schema from "./schema.js";

/** The drizzle database type used across the API. */
export type Orm = MySql2Database<typeof schema>;

/** A pool plus drizzle over it. */
export interface Database {
  readonly orm: Orm;
  readonly pool: Pool;
  /** Resolves when MySQL answers `SELECT 1` within `timeoutMs`, rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  /** Open, idle and waiting counts of the pool (for the pool gauge). */
  poolStats(): { all: number; free: number; queued: number };
  /** Waits for checked-out connections to be released, then closes the pool. */
  close(): Promise<void>;
}

/** Milliseconds to wait for a TCP connection to MySQL before giving up (mysql2 default: 10 s). */
export const CONNECT_TIMEOUT_MS = 3_000;

/** mysql2 options shared by the pool and the migration connection. */
export function connectionOptions(config: DatabaseConfig): PoolOptions {
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    // DECIMAL as JSON numbers (400.00 -> 400, 12.50 -> 12.5) as the contract requires.
    decimalNumbers: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // RDS certificates are signed by the Amazon RDS CAs, which are not in Node's default store;
    // mysql2's built-in "Amazon RDS" profile carries that bundle and verifies the server with it.
    ...(config.tls ? { ssl: "Amazon RDS" } : {}),
  };
}

/** Creates the pool (connections open lazily, so this never fails when MySQL is down). */
export function createDatabase(config: DatabaseConfig): Database {
  const pool = mysql.createPool({
    ...connectionOptions(config),
    connectionLimit: config.poolSize,
    maxIdle: config.poolSize,
    idleTimeout: 60_000,
    // Bounded wait queue: when MySQL is slow, requests beyond this fail fast with 503 instead of
    // piling up in memory.
    queueLimit: 1_000,
    // Detects half-open connections (e.g. after an RDS failover) instead of hanging on them.
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
  });
  // A connection that dies while idle emits an error on the pool; it is dropped and replaced on
  // the next checkout, and the requests that need MySQL report the outage themselves.
  pool.on("connection", (connection) => connection.on("error", () => undefined));
  const orm = drizzle({ client: pool, schema, mode: "default" });
  // mysql2's promise pool wraps the callback pool, whose queues it does not expose in its types.
  const core = (pool as unknown as { pool: Record<string, { length: number } | undefined> }).pool;

  return {
    orm,
    pool,
    async ping(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`MySQL did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([pool.query("SELECT 1"), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    poolStats() {
      return {
        all: core._allConnections?.length ?? 0,
        free: core._freeConnections?.length ?? 0,
        queued: core._connectionQueue?.length ?? 0,
      };
    },
    close: () => pool.end(),
  };
}
