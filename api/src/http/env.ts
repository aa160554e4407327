/**
 * The Hono environment of the app: what `c.env` and `c.var` hold. `c.env` carries Node's request
 * and response when served by `@hono/node-server`, and is absent under `app.request()` in tests.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CacheLabel } from "../metrics.js";

/** Hono generics of every router in the API. */
export interface AppEnv {
  Bindings: { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  Variables: {
    /** Correlation id of the request (from X-Request-Id / X-Correlation-Id, or generated). */
    requestId: string;
    /** Whether a GET was served from Redis; unset for routes that do not cache. */
    cache: CacheLabel;
    /** Route template for metrics and logs when Hono's own cannot tell (404s). */
    route: string;
  };
}
