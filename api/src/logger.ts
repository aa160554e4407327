/**
 * pino JSON logs: one object per line with `timestamp`, `level` (as a word), `message`, and the
 * request's correlation id where there is one. Request bodies are never logged, and the redact
 * list below catches credentials that might reach a log call by accident.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./config.js";

export type { Logger } from "pino";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @default "info" */
  level?: LogLevel;
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

/**
 * pino's timestamp field, formatted once per millisecond: under load many lines share a
 * millisecond, and `toISOString()` was the largest part of an access line's cost.
 */
function isoTimestamp(): () => string {
  let lastMs = -1;
  let field = "";
  return () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      field = `,"timestamp":"${new Date(now).toISOString()}"`;
    }
    return field;
  };
}

/** Bytes of pending log lines that trigger a write to stdout (below SonicBoom's 16 KiB maximum write). */
export const LOG_BATCH_BYTES = 8_192;

/** Longest a log line waits for more before it is written to stdout, in milliseconds. */
export const LOG_FLUSH_MS = 100;

/** Builds the process logger. */
export function createLogger({ level = "info", destination }: LoggerOptions = {}): Logger {
  const options = {
    level,
    messageKey: "message",
    // ISO time under the name log pipelines (Loki, CloudWatch Insights) look for first.
    timestamp: isoTimestamp(),
    formatters: { level: (label: string) => ({ level: label }) },
    redact: {
      paths: [
        "password",
        "*.password",
        "config.db.password",
        "config.redis.password",
        "headers.authorization",
        "headers.cookie",
      ],
      censor: "[redacted]",
    },
  };
  if (destination) return pino(options, destination);
  // stdout through an asynchronous SonicBoom that writes once LOG_BATCH_BYTES are pending or
  // every LOG_FLUSH_MS, whichever comes first: under load the access log leaves in few large
  // write(2)s (each asynchronous write costs a thread-pool hand-off; with a write per event-loop
  // turn that was several µs of CPU per request in the cached-read bench), while an idle
  // process's lines still show up within LOG_FLUSH_MS ("listening" included). pino flushes what
  // is pending on exit, and server.ts flushes it after a graceful shutdown.
  return pino(
    options,
    pino.destination({
      dest: 1,
      sync: false,
      minLength: LOG_BATCH_BYTES,
      periodicFlush: LOG_FLUSH_MS,
    }),
  );
}

/**
 * The parts of an error that are safe to log. mysql2 errors carry the SQL with values inlined
 * (`err.sql`) and drizzle's wrapper repeats the bound parameters in its message, so neither is
 * logged whole: only name, code and the driver's own message.
 */
export function describeError(error: unknown): { name: string; code?: string; message: string } {
  // drizzle's DrizzleQueryError wraps the driver's error as `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return {
      name: cause.name,
      ...(typeof code === "string" ? { code } : {}),
      message: cause.message.slice(0, 300),
    };
  }
  return { name: "unknown", message: String(cause).slice(0, 300) };
}

/**
 * Logs at most one line per `key` per `intervalMs`, then says how many were suppressed, so an
 * outage of Redis under load writes a few lines instead of thousands per second.
 */
export class RateLimitedLog {
  readonly #last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
  ) {}

  /** Logs `message` with `fields` at warn unless `key` was logged less than the interval ago. */
  warn(key: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    const entry = this.#last.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed += 1;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.#last.set(key, { at: now, suppressed: 0 });
    this.logger.warn(suppressed > 0 ? { ...fields, suppressed } : fields, message);
  }
}
