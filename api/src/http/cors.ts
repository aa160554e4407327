/**
 * CORS like the `cors` package's defaults the original used (`Access-Control-Allow-Origin: *`,
 * every OPTIONS answered 204), or restricted to a list of origins. Written here instead of
 * `hono/cors` because that one touches `c.res` before the handler runs, which makes Hono build
 * and then copy an extra Response on every request; this one only sets prepared headers.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";

/** Methods announced in preflight answers. */
export const CORS_METHODS = "GET,HEAD,POST,DELETE,OPTIONS";

/** Builds the CORS middleware for `"*"` or a list of allowed origins. */
export function cors(origin: "*" | readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = origin === "*" ? undefined : new Set(origin);
  return async function corsMiddleware(c, next) {
    if (!allowed) {
      c.header("Access-Control-Allow-Origin", "*");
    } else {
      const requestOrigin = c.req.header("origin");
      if (requestOrigin && allowed.has(requestOrigin))
        c.header("Access-Control-Allow-Origin", requestOrigin);
      c.header("Vary", "Origin");
    }
    c.header("Access-Control-Expose-Headers", "X-Request-Id");
    if (c.req.method !== "OPTIONS") return next();
    c.header("Access-Control-Allow-Methods", CORS_METHODS);
    const requested = c.req.header("access-control-request-headers");
    if (requested) {
      c.header("Access-Control-Allow-Headers", requested);
      c.header(
        "Vary",
        allowed ? "Origin, Access-Control-Request-Headers" : "Access-Control-Request-Headers",
      );
    }
    c.header("Access-Control-Max-Age", "600");
    return c.body(null, 204);
  };
}
