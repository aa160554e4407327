/**
 * The MySQL side: one mysql2 pool per process, drizzle on top of it, plus the small health
 * helpers (ping, pool statistics) the readiness probe and the metrics need.
 */
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2";
import mysql, {
  type Pool,
  type PoolConnection,
  type PoolOptions,
  type QueryOptions,
  type QueryValues,
} from "mysql2/promise";
import type { CredentialProvider } from "../auth/credentials.js";
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
  /**
   * Opens `count` pooled connections at once and runs a round trip on each, so the first
   * requests after start-up neither wait for logins nor meet cold connections. Rejects when
   * any of them fails.
   */
  warmUp(count: number): Promise<void>;
  /** Open, idle and waiting counts of the pool (for the pool gauge). */
  poolStats(): { all: number; free: number; queued: number };
  /** Waits for checked-out connections to be released, then closes the pool. */
  close(): Promise<void>;
}

/** Milliseconds to wait for a new MySQL connection before giving up (mysql2 default: 10 s). */
export const CONNECT_TIMEOUT_MS = 3_000;

/**
 * Longest one statement may take, waiting for a pooled connection included. Healthy queries take
 * milliseconds; past this the request answers 503 and the connection is discarded.
 */
export const QUERY_TIMEOUT_MS = 5_000;

/** Timeouts of {@link createDatabase} (tests shorten them). */
export interface DatabaseOptions {
  /** @default CONNECT_TIMEOUT_MS */
  connectTimeoutMs?: number;
  /** @default QUERY_TIMEOUT_MS */
  queryTimeoutMs?: number;
  /**
   * Password of every new connection, asked for just before it opens (a rotated password or a
   * fresh IAM token is picked up without restarting). @default the fixed `config.password`
   */
  credentials?: CredentialProvider;
  /** Milliseconds an idle pooled connection lives (tests shorten it). @default 60000 */
  idleTimeoutMs?: number;
  /** Idle connections kept beyond the timeout. @default config.poolSize */
  maxIdle?: number;
}

/** MySQL's "Access denied" on login (a rotated password, an expired or not yet valid token). */
const ACCESS_DENIED = "ER_ACCESS_DENIED_ERROR";
/** Logins retried with a fresh credential after an access denied, and the pause before each. */
const LOGIN_RETRY_DELAYS_MS = [25, 100, 250];

/** Error code of a statement that ran out of time (answered as 503 like other outages). */
export const QUERY_TIMEOUT_CODE = "DB_QUERY_TIMEOUT";

const timeoutError = (what: string, ms: number): Error =>
  Object.assign(new Error(`${what} took longer than ${ms} ms`), { code: QUERY_TIMEOUT_CODE });

/** mysql2 options shared by the pool and the migration connection. */
export function connectionOptions(
  config: DatabaseConfig,
  connectTimeoutMs = CONNECT_TIMEOUT_MS,
): PoolOptions {
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    // DECIMAL as JSON numbers (400.00 -> 400, 12.50 -> 12.5) as the contract requires.
    decimalNumbers: true,
    connectTimeout: connectTimeoutMs,
    // RDS certificates are signed by the Amazon RDS CAs, which are not in Node's default store;
    // mysql2's built-in "Amazon RDS" profile carries that bundle and verifies the server with it.
    ...(config.tls ? { ssl: "Amazon RDS" } : {}),
    // RDS IAM authentication sends the token with mysql_clear_password, which is safe only
    // because TLS is required (config refuses DB_AUTH=iam without DB_TLS=true).
    ...(config.auth === "iam" ? { enableCleartextPlugin: true } : {}),
  };
}

/** Creates the pool (connections open lazily, so this never fails when MySQL is down). */
export function createDatabase(config: DatabaseConfig, options: DatabaseOptions = {}): Database {
  const {
    connectTimeoutMs = CONNECT_TIMEOUT_MS,
    queryTimeoutMs = QUERY_TIMEOUT_MS,
    credentials,
    idleTimeoutMs = 60_000,
    maxIdle = config.poolSize,
  } = options;
  const pool = mysql.createPool({
    ...connectionOptions(config, connectTimeoutMs),
    connectionLimit: config.poolSize,
    maxIdle,
    idleTimeout: idleTimeoutMs,
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

  // Every connection the pool opens reads its password from this shared object at login time,
  // so setting it before a checkout is what makes new connections use the current credential.
  const connectionConfig = (
    pool as unknown as { pool: { config: { connectionConfig: { password?: string } } } }
  ).pool.config.connectionConfig;

  /** A checkout with the current credential; a refused login retries with a fresh one. */
  const checkout = async (): Promise<PoolConnection> => {
    if (!credentials) return pool.getConnection();
    for (let attempt = 0; ; attempt++) {
      connectionConfig.password = await credentials.get();
      try {
        return await pool.getConnection();
      } catch (error) {
        const delay = LOGIN_RETRY_DELAYS_MS[attempt];
        if ((error as { code?: unknown }).code !== ACCESS_DENIED || delay === undefined)
          throw error;
        credentials.invalidate();
        await new Promise((wake) => setTimeout(wake, delay));
      }
    }
  };

  /** A pooled connection, or a timeout error if none frees up in time. */
  const acquire = (): Promise<PoolConnection> =>
    new Promise((resolve, reject) => {
      let waiting = true;
      const timer = setTimeout(() => {
        waiting = false;
        reject(timeoutError("waiting for a MySQL connection", queryTimeoutMs));
      }, queryTimeoutMs);
      checkout().then(
        (connection) => {
          if (waiting) resolve(connection);
          else connection.release();
          waiting = false;
          clearTimeout(timer);
        },
        (error: unknown) => {
          if (waiting) reject(error);
          waiting = false;
          clearTimeout(timer);
        },
      );
    });

  /**
   * What drizzle queries through instead of the pool itself: each statement gets a connection,
   * a timeout, and a connection that timed out is destroyed rather than returned. pool.query()
   * would hand such a connection (its reply lost to a dead network path, as in a failover) to the
   * next request, which would hang behind it; enough of them and the pool never recovers.
   */
  const guarded = {
    async query(query: QueryOptions, values?: QueryValues) {
      const connection = await acquire();
      try {
        const result = await connection.query({ ...query, timeout: queryTimeoutMs }, values);
        connection.release();
        return result;
      } catch (error) {
        const { code, fatal } = error as { code?: unknown; fatal?: unknown };
        if (code === "PROTOCOL_SEQUENCE_TIMEOUT" || fatal === true) connection.destroy();
        else connection.release();
        throw error;
      }
    },
  };
  // drizzle only calls query() for the statements the API runs (no transactions, no execute()).
  const orm = drizzle({ client: guarded as unknown as Pool, schema, mode: "default" });
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
        await Promise.race([guarded.query({ sql: "SELECT 1" }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async warmUp(count) {
      const held: PoolConnection[] = [];
      const open = async (): Promise<void> => {
        const connection = await acquire();
        held.push(connection);
        await connection.query({ sql: "SELECT 1", timeout: queryTimeoutMs });
      };
      // All at once and held until every one is open: released one by one, the pool would
      // hand the same idle connection back instead of opening the next.
      const results = await Promise.allSettled(Array.from({ length: count }, open));
      const failed = results.find((result) => result.status === "rejected");
      for (const connection of held) {
        if (failed) connection.destroy();
        else connection.release();
      }
      if (failed) throw failed.reason;
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
