/**
 * Health routes: the original's `GET /health`, plus `/health/live` (the process answers) and
 * `/health/ready` (MySQL reachable; Redis reported but optional, since reads fall back to MySQL).
 */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.js";
import { methodNotAllowed } from "../http/errors.js";

/** One dependency's state in the readiness answer (no error text: it would show internal host names). */
export interface DependencyCheck {
  status: "up" | "down";
  latencyMs: number;
}

/** What the health routes need. */
export interface HealthDeps {
  /** Resolves when MySQL answers; rejects otherwise. */
  pingDatabase(): Promise<void>;
  /** True when Redis answers a PING. */
  pingRedis(): Promise<boolean>;
  /** True once shutdown has begun: readiness fails so the load balancer stops sending traffic. */
  isDraining(): boolean;
  /**
   * True once the MySQL pool has opened its connections at start-up: until then readiness
   * fails (`starting`), so no traffic arrives to wait for logins. @default always
   */
  isWarm?(): boolean;
}

async function timed(check: () => Promise<boolean>): Promise<DependencyCheck> {
  const started = performance.now();
  const up = await check().catch(() => false);
  const latencyMs = Math.round((performance.now() - started) * 1_000) / 1_000;
  return { status: up ? "up" : "down", latencyMs };
}

/** Builds the router mounted at `/health`. */
export function healthRoutes({
  pingDatabase,
  pingRedis,
  isDraining,
  isWarm = () => true,
}: HealthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  const allowed = methodNotAllowed(["GET", "HEAD", "OPTIONS"]);

  // The original's body: a JSON string.
  app.get("/", (c) => c.json("This is the health check"));
  app.all("/", allowed);

  app.get("/live", (c) => c.json({ status: "ok" }));
  app.all("/live", allowed);

  app.get("/ready", async (c) => {
    const [database, redis] = await Promise.all([
      timed(async () => (await pingDatabase(), true)),
      timed(pingRedis),
    ]);
    const draining = isDraining();
    const warm = isWarm();
    const ready = database.status === "up" && !draining && warm;
    const status = draining
      ? "draining"
      : database.status !== "up"
        ? "unavailable"
        : !warm
          ? "starting"
          : redis.status === "up"
            ? "ok"
            : "degraded";
    return c.json({ status, checks: { database, redis } }, ready ? 200 : 503);
  });
  app.all("/ready", allowed);

  return app;
}
