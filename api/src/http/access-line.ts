/**
 * The access line of the cached-read fast path (fast-list.ts), written without pino's generic
 * serializer: the same bytes `logger.info({requestId, method, route, path, status, cache,
 * durationMs}, "request")` writes (access-line.test.ts compares them), built from one template.
 * pino walks the object, escapes each string and looks up serializers per key, about a tenth of a
 * cached read's CPU in the profile; here every field is either a constant of the fast path or
 * JSON-safe by construction (request ids pass `pickRequestId`'s pattern, which admits no quote,
 * backslash or control character).
 *
 * It goes through the logger's own level, timestamp, bindings (`pid`, `hostname`) and destination,
 * read from `pino.symbols`, so the line lands where and how every other line does.
 */
import { pino, type Logger } from "pino";
import type { CacheLabel } from "../metrics.js";

const { lsCacheSym, timeSym, chindingsSym, streamSym, endSym } = pino.symbols;

/** Level number of `info`. */
const INFO = 30;

/** Writes one access line of a request the fast path answered. */
export type AccessLineWriter = (
  requestId: string,
  path: string,
  status: number,
  cache: CacheLabel,
  seconds: number,
) => void;

/**
 * A writer of `"message":"request"` lines for `method` and `route` (constants of the caller) through
 * `logger`. `path` must be a constant of the caller too, and `requestId` a `pickRequestId` result.
 */
export function accessLineWriter(logger: Logger, method: string, route: string): AccessLineWriter {
  // pino's internals, read through its exported symbols (its types do not declare them).
  const internals = logger as unknown as Record<symbol, unknown>;
  const levels = internals[lsCacheSym] as Record<number, string>;
  const timestamp = internals[timeSym] as () => string;
  const stream = internals[streamSym] as { write(line: string): unknown };
  const head = `,"method":${JSON.stringify(method)},"route":${JSON.stringify(route)},"path":`;
  return (requestId, path, status, cache, seconds) => {
    if (!logger.isLevelEnabled("info")) return;
    const durationMs = Math.round(seconds * 1e6) / 1e3;
    stream.write(
      `${levels[INFO]}${timestamp()}${internals[chindingsSym] as string},"requestId":"${requestId}"` +
        `${head}"${path}","status":${status},"cache":"${cache}","durationMs":${durationMs},"message":"request"${internals[endSym] as string}`,
    );
  };
}
