/**
 * One JSON error shape for every failure the API can answer with:
 * `{"message": "...", "error": {"code": "...", "field"?: "..."}}`. No stack traces, no HTML.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { QUERY_TIMEOUT_CODE } from "../db/client.js";
import { describeError, type Logger } from "../logger.js";
import type { AppEnv } from "./env.js";

/** Body of every error response. */
export interface ErrorBody {
  message: string;
  error: { code: string; field?: string };
}

/** An error that becomes a JSON response with its own status, code and (for 400s) field. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The JSON body for this error. */
  toBody(): ErrorBody {
    return {
      message: this.message,
      error: this.field ? { code: this.code, field: this.field } : { code: this.code },
    };
  }
}

/** A 400 for an invalid request field; the message names the field. */
export const invalidField = (field: string, message: string): ApiError =>
  new ApiError(400, "invalid_field", message, field);

// Error codes (mysql2 `code`) that mean "MySQL is not reachable or not accepting work right now",
// as opposed to a bug in a statement: these answer 503 so clients and probes can retry.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  QUERY_TIMEOUT_CODE,
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_ACCESS_DENIED_ERROR",
  "ER_BAD_DB_ERROR",
  "ER_LOCK_WAIT_TIMEOUT",
]);

function rootCause(error: unknown): unknown {
  // drizzle wraps driver errors in DrizzleQueryError with the driver's error as `cause`.
  return error instanceof Error && error.cause instanceof Error ? error.cause : error;
}

/** True when `error` says MySQL is unreachable or overloaded (answer 503, not 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = rootCause(error) as { code?: unknown; fatal?: unknown; message?: unknown };
  if (typeof cause !== "object" || cause === null) return false;
  if (typeof cause.code === "string" && UNAVAILABLE_CODES.has(cause.code)) return true;
  if (cause.fatal === true) return true;
  return cause.message === "Queue limit reached." || cause.message === "Pool is closed.";
}

/**
 * A description that contains a character the column's character set cannot hold (an emoji in
 * a latin1 table created by the original app) is the client's input problem, not a server error.
 */
function isUnstorableText(error: unknown): boolean {
  const cause = rootCause(error) as { code?: unknown };
  return cause?.code === "ER_TRUNCATED_WRONG_VALUE_FOR_FIELD";
}

/** The answer to an error a handler threw: status, JSON body and extra headers. */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/**
 * What an error becomes (known errors keep their status, the rest become 500), logging the ones
 * that are the server's problem under the request's id. Shared by Hono's `onError` and the Node
 * fast path of cached reads (fast-list.ts), so both answer a failure alike.
 */
export function errorAnswer(
  error: unknown,
  logger: Logger,
  requestId: string | undefined,
): ErrorAnswer {
  if (error instanceof ApiError) return { status: error.status, body: error.toBody() };
  if (error instanceof HTTPException) {
    const status = error.status;
    const message = status === 413 ? "request body too large" : error.message || "bad request";
    return {
      status,
      body: { message, error: { code: status === 413 ? "body_too_large" : "bad_request" } },
    };
  }
  if (isUnstorableText(error)) {
    const invalid = invalidField("desc", "desc contains characters the database cannot store");
    return { status: 400, body: invalid.toBody() };
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ requestId, err: describeError(error) }, "database unavailable");
    return {
      status: 503,
      body: {
        message: "database unavailable, try again shortly",
        error: { code: "database_unavailable" },
      },
      headers: { "Retry-After": "5" },
    };
  }
  logger.error({ requestId, err: describeError(error) }, "unhandled error");
  return {
    status: 500,
    body: { message: "internal server error", error: { code: "internal_error" } },
  };
}

/** Builds the app's `onError` handler (see {@link errorAnswer}). */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context<AppEnv>): Response => {
    const answer = errorAnswer(error, logger, c.get("requestId"));
    if (answer.headers)
      for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
    return c.json(answer.body, answer.status);
  };
}

/** A handler for a known path and an unsupported method: 405 with an `Allow` header. */
export function methodNotAllowed(allowed: readonly string[]) {
  const allow = allowed.join(", ");
  return (c: Context<AppEnv>): Response => {
    c.header("Allow", allow);
    return c.json(
      {
        message: `method ${c.req.method} not allowed here; allowed: ${allow}`,
        error: { code: "method_not_allowed" },
      },
      405,
    );
  };
}
