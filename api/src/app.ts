/**
 * The Hono application, built from its dependencies so tests can hand it real MariaDB and Redis
 * (or a Redis behind a proxy they can cut) and the benchmark can run it in-process.
 */
import { Hono } from "hono";
import type { TransactionCache } from "./cache/index.js";
import type { Database } from "./db/client.js";
import { healthRoutes } from "./health/index.js";
import { cors } from "./http/cors.js";
import type { AppEnv } from "./http/env.js";
import { errorHandler, methodNotAllowed } from "./http/errors.js";
import { fastList, setNodeFastPath } from "./http/fast-list.js";
import { observe, UNMATCHED_ROUTE } from "./http/observe.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { listBodyLoader, transactionRoutes } from "./transactions/index.js";
import {
  createTransactionRepository,
  type TransactionRepository,
} from "./transactions/repository.js";

/** Everything the app needs from the outside. */
export interface AppDeps {
  db: Pick<Database, "orm" | "ping" | "poolStats">;
  cache: TransactionCache;
  metrics: Metrics;
  logger: Logger;
  /** Data access. @default the drizzle repository over `db.orm` */
  repository?: TransactionRepository;
  /** Allowed CORS origins. @default "*" */
  corsOrigin?: "*" | string[];
  /** True once shutdown has begun. @default never */
  isDraining?: () => boolean;
  /** True once the MySQL pool is warm (readiness waits for it). @default always */
  isWarm?: () => boolean;
}

/** How long a scrape reuses the last MySQL ping for `expense_db_up`. */
const DB_UP_CACHE_MS = 5_000;

/** Builds the API. */
export function createApp({
  db,
  cache,
  metrics,
  logger,
  repository = createTransactionRepository(db.orm, metrics),
  corsOrigin = "*",
  isDraining = () => false,
  isWarm = () => true,
}: AppDeps): Hono<AppEnv> {
  // strict: false answers /transaction/ and /health/ like /transaction and /health, as Express did.
  const app = new Hono<AppEnv>({ strict: false });

  let dbUp: { at: number; up: Promise<boolean> } | undefined;
  metrics.setProbes({
    redisUp: () => cache.isUp(),
    databaseUp: () => {
      if (!dbUp || Date.now() - dbUp.at > DB_UP_CACHE_MS) {
        dbUp = {
          at: Date.now(),
          up: db.ping(1_000).then(
            () => true,
            () => false,
          ),
        };
      }
      return dbUp.up;
    },
    poolConnections: () => db.poolStats(),
  });

  app.use(observe({ metrics, logger }));
  app.use(cors(corsOrigin));

  app.route("/transaction", transactionRoutes({ repository, cache, metrics }));
  app.route(
    "/health",
    healthRoutes({
      pingDatabase: () => db.ping(2_000),
      pingRedis: () => cache.ping(),
      isDraining,
      isWarm,
    }),
  );
  app.get("/metrics", async (c) => {
    const body = await metrics.registry.metrics();
    return c.body(body, 200, { "Content-Type": metrics.registry.contentType });
  });
  app.all("/metrics", methodNotAllowed(["GET", "HEAD", "OPTIONS"]));

  app.notFound((c) => {
    c.set("route", UNMATCHED_ROUTE);
    return c.json(
      {
        message: `no route for ${c.req.method} ${c.req.path.slice(0, 200)}`,
        error: { code: "not_found" },
      },
      404,
    );
  });
  app.onError(errorHandler(logger));
  // Served by Node (createHttpServer), cached GET /transaction skips Hono; answers are the same.
  setNodeFastPath(
    app,
    fastList({ cache, loadList: listBodyLoader(repository), metrics, logger, corsOrigin }),
  );
  return app;
}
