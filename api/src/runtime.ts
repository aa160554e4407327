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
import { createLogger, type Logger } from "./logger.js";
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
  /** Closes the pool and the Redis connection. */
  close(): Promise<void>;
}

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
  const base = createTransactionRepository(db.orm, metrics);
  const app = createApp({
    db,
    cache,
    metrics,
    logger,
    repository: options.wrapRepository ? options.wrapRepository(base) : base,
    corsOrigin: config.corsOrigin,
    ...(options.isDraining ? { isDraining: options.isDraining } : {}),
  });
  return {
    app,
    db,
    cache,
    metrics,
    logger,
    async close() {
      await Promise.allSettled([db.close(), cache.close()]);
    },
  };
}
