/**
 * Why a MySQL operation failed, in the three buckets `expense_db_errors_total{reason}` uses:
 * a timeout (the statement, the wait for a pooled connection, or the TCP connect ran out of time),
 * a refused connection (MySQL is down or not listening), or anything else (lost connections,
 * access denied, SQL errors). The set is fixed so the series count stays bounded.
 */
import { QUERY_TIMEOUT_CODE } from "./client.js";

/** The `reason` label of `expense_db_errors_total`. */
export type DbErrorReason = "timeout" | "connection_refused" | "other";

/** Every reason, for initialising the counter's series at 0 (rate() needs a prior sample). */
export const DB_ERROR_REASONS: readonly DbErrorReason[] = [
  "timeout",
  "connection_refused",
  "other",
];

const TIMEOUT_CODES = new Set([QUERY_TIMEOUT_CODE, "PROTOCOL_SEQUENCE_TIMEOUT", "ETIMEDOUT"]);

/** Classifies a driver (or drizzle-wrapped driver) error. */
export function dbErrorReason(error: unknown): DbErrorReason {
  // drizzle wraps the driver's error as `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    if (TIMEOUT_CODES.has(code)) return "timeout";
    if (code === "ECONNREFUSED") return "connection_refused";
  }
  return "other";
}
