/**
 * CORS like the `cors` package's defaults the original used (`Access-Control-Allow-Origin: *`,
 * every OPTIONS answered 204), or restricted to a list of origins. Written here instead of
 * `hono/cors` because that one touches `c.res` before the handler runs, which makes Hono build
 * and then copy an extra Response on every request; this one only sets headers (on Node's
 * response when served by Node, see headers.ts).
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";
import { requestHeader, setResponseHeader } from "./headers.js";

/** Methods announced in preflight answers. */
export const CORS_METHODS = "GET,HEAD,POST,DELETE,OPTIONS";

/** Builds the CORS middleware for `"*"` or a list of allowed origins. */
export function cors(origin: "*" | readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = origin === "*" ? undefined : new Set(origin);
  return async function corsMiddleware(c, next) {
    if (!allowed) {
      setResponseHeader(c, "Access-Control-Allow-Origin", "*");
    } else {
      const requestOrigin = requestHeader(c, "origin");
      if (requestOrigin && allowed.has(requestOrigin))
        setResponseHeader(c, "Access-Control-Allow-Origin", requestOrigin);
      setResponseHeader(c, "Vary", "Origin");
    }
    setResponseHeader(c, "Access-Control-Expose-Headers", "X-Request-Id");
    if (c.req.method !== "OPTIONS") return next();
    setResponseHeader(c, "Access-Control-Allow-Methods", CORS_METHODS);
    const requested = requestHeader(c, "access-control-request-headers");
    if (requested) {
      setResponseHeader(c, "Access-Control-Allow-Headers", requested);
      setResponseHeader(
        c,
        "Vary",
        allowed ? "Origin, Access-Control-Request-Headers" : "Access-Control-Request-Headers",
      );
    }
    setResponseHeader(c, "Access-Control-Max-Age", "600");
    return c.body(null, 204);
  };
}
