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

/** The allowed origins of {@link cors}'s argument; undefined means any (`*`). */
export function allowedOrigins(origin: "*" | readonly string[]): ReadonlySet<string> | undefined {
  return origin === "*" ? undefined : new Set(origin);
}

/**
 * Appends the CORS headers every answer carries (name, value, name, value, ...) to `into`, in the
 * order they are set: the middleware and the cached-read fast path (fast-list.ts) share it.
 */
export function appendCorsHeaders(
  into: string[],
  allowed: ReadonlySet<string> | undefined,
  requestOrigin: string | undefined,
): void {
  if (!allowed) {
    into.push("Access-Control-Allow-Origin", "*");
  } else {
    if (requestOrigin && allowed.has(requestOrigin))
      into.push("Access-Control-Allow-Origin", requestOrigin);
    into.push("Vary", "Origin");
  }
  into.push("Access-Control-Expose-Headers", "X-Request-Id");
}

/** Builds the CORS middleware for `"*"` or a list of allowed origins. */
export function cors(origin: "*" | readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = allowedOrigins(origin);
  return async function corsMiddleware(c, next) {
    const headers: string[] = [];
    appendCorsHeaders(headers, allowed, allowed ? requestHeader(c, "origin") : undefined);
    for (let i = 0; i < headers.length; i += 2) setResponseHeader(c, headers[i]!, headers[i + 1]!);
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
