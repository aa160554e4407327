/**
 * Wires the real dependencies (mysql2 pool, ioredis, metrics, logger) into the app: the one
 * composition root shared by the server, the benchmark and the integration tests.
 */
import type { Hono } from "hono";
import type { RedisOptions } from "ioredis";
import { createApp } from "./app.js";
import { TransactionCache } from "./cache/index.js";
import { createRedis, type RedisCredentialOptions } from "./cache/redis.js";
import { databaseCredentials, redisCredentials } from "./auth/index.js";
import type { Config } from "./config.js";
import { createDatabase, type Database, type DatabaseOptions } from "./db/client.js";
import type { AppEnv } from "./http/env.js";
import { createLogger, describeError, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import {
  createTransactionRepository,
  type TransactionRepository,
} from "./transactions/repository.js";

/** Options of {@link createRuntime}; the defaults are what production uses. */
export interface RuntimeOptions {
  /** @default a pino logger at `config.logLevel` on stdout */
  logger?: Logger;
  /** Redis key prefix (tests give each file its own). @default "expense:v1:" */
  keyPrefix?: string;
  /** MySQL timeouts (tests shorten them). */
  databaseOptions?: DatabaseOptions;
  /** Extra ioredis options (tests shorten timeouts). */
  redisOptions?: Partial<RedisOptions>;
  /** Redis login source and refresh period. @default IAM tokens when REDIS_AUTH=iam, else the fixed password */
  redisCredentials?: RedisCredentialOptions;
  /** Wraps the repository (tests slow queries down or count them). */
  wrapRepository?: (repository: TransactionRepository) => TransactionRepository;
  /** @default never draining */
  isDraining?: () => boolean;
}

/** A wired app and the resources to release when done. */
export interface Runtime {
  readonly app: Hono<AppEnv>;
  readonly db: Database;
  readonly cache: TransactionCache;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /**
   * Resolves once the MySQL pool holds `DB_POOL_SIZE` open connections (retried every
   * {@link POOL_WARM_UP_RETRY_MS} while MySQL is unreachable); readiness fails until then.
   * Resolves without warming if the runtime is closed first.
   */
  readonly poolWarm: Promise<void>;
  /** Closes the pool and the Redis connection. */
  close(): Promise<void>;
}

/** Pause between pool warm-up attempts while MySQL is unreachable at start-up. */
export const POOL_WARM_UP_RETRY_MS = 1_000;

/** Builds the app over real connections (which open lazily: this never fails on a down dependency). */
export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = createMetrics();
  const db = createDatabase(config.db, {
    credentials: databaseCredentials(config.db),
    ...options.databaseOptions,
  });
  const redisAuth = redisCredentials(config.redis);
  const redis = createRedis(
    config.redis,
    options.redisOptions,
    options.redisCredentials ?? (redisAuth?.kind === "iam" ? { credentials: redisAuth } : {}),
  );
  const cache = new TransactionCache({
    redis,
    ttlSeconds: config.cacheTtlSeconds,
    metrics,
    logger,
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
  });
  // Open the whole pool before reporting ready: connections opened on demand made the first
  // requests after a start wait for MySQL logins (issue #11, first write round).
  let closed = false;
  let warm = false;
  const poolWarm = (async () => {
    const started = performance.now();
    while (!closed) {
      try {
        await db.warmUp(config.db.poolSize);
        warm = true;
        logger.info(
          {
            connections: config.db.poolSize,
            durationMs: Math.round(performance.now() - started),
          },
          "database pool warmed",
        );
        return;
      } catch (error) {
        if (closed) return;
        logger.warn({ err: describeError(error) }, "database pool warm-up failed, retrying");
        await new Promise((resolve) => setTimeout(resolve, POOL_WARM_UP_RETRY_MS).unref());
      }
    }
  })();
  const base = createTransactionRepository(db.orm, metrics);
  const app = createApp({
    db,
    cache,
    metrics,
    logger,
    repository: options.wrapRepository ? options.wrapRepository(base) : base,
    corsOrigin: config.corsOrigin,
    ...(options.isDraining ? { isDraining: options.isDraining } : {}),
    isWarm: () => warm,
  });
  return {
    app,
    db,
    cache,
    metrics,
    logger,
    poolWarm,
    async close() {
      closed = true;
      await Promise.allSettled([db.close(), cache.close()]);
    },
  };
}
