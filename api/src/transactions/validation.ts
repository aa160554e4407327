/**
 * Input rules for transactions, as zod schemas whose messages name the field:
 * - `amount`: a JSON number or a numeric string, at most two decimals, within DECIMAL(10,2);
 * - `desc`: a string of at most 100 characters, empty or missing meaning "";
 * - `id`: a positive integer that fits the INT column, as a number or a string of digits.
 */
import { z } from "zod";
import { invalidField } from "../http/errors.js";

/** Largest magnitude DECIMAL(10,2) holds. */
export const MAX_AMOUNT = 99_999_999.99;
/** Longest description VARCHAR(100) holds, in characters (code points, as MySQL counts). */
export const MAX_DESCRIPTION = 100;
/** Largest id a signed INT column holds. */
export const MAX_ID = 2_147_483_647;

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

const amount = z.unknown().transform((value, ctx): number => {
  const fail = (message: string): never => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    return fail("amount is required");
  }
  let parsed: number;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return fail("amount must be a finite number");
    // Exact for every value with at most two decimals (toFixed rounds to the nearest such value).
    if (Number(value.toFixed(2)) !== value)
      return fail("amount must have at most 2 decimal places");
    parsed = value;
  } else if (typeof value === "string") {
    const trimmed = value.trim();
    if (!NUMERIC.test(trimmed))
      return fail(
        `amount must be a number, like 12.50 (got ${JSON.stringify(value.slice(0, 20))})`,
      );
    if ((trimmed.split(".")[1] ?? "").length > 2)
      return fail("amount must have at most 2 decimal places");
    parsed = Number(trimmed);
  } else {
    return fail("amount must be a number or a numeric string");
  }
  if (Math.abs(parsed) > MAX_AMOUNT)
    return fail(`amount must be between -${MAX_AMOUNT} and ${MAX_AMOUNT}`);
  // -0 would be stored as 0 anyway; normalise so the insert and the metric agree.
  return parsed === 0 ? 0 : parsed;
});

const description = z.unknown().transform((value, ctx): string => {
  if (typeof value !== "string") {
    ctx.addIssue({ code: "custom", message: "desc must be a string" });
    return z.NEVER;
  }
  // Code points, not UTF-16 units: an emoji is one character to MySQL's utf8mb4.
  let length = 0;
  for (const _ of value) length += 1;
  if (length > MAX_DESCRIPTION) {
    ctx.addIssue({
      code: "custom",
      message: `desc must be at most ${MAX_DESCRIPTION} characters (got ${length})`,
    });
    return z.NEVER;
  }
  return value;
});

const id = z.unknown().transform((value, ctx): number => {
  const digits =
    typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const parsed = /^\d{1,10}$/.test(digits) ? Number(digits) : Number.NaN;
  if (value === undefined || value === null || value === "") {
    ctx.addIssue({ code: "custom", message: "id is required" });
    return z.NEVER;
  }
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_ID) {
    ctx.addIssue({ code: "custom", message: `id must be a positive integer up to ${MAX_ID}` });
    return z.NEVER;
  }
  return parsed;
});

/** Body of `POST /transaction` (requests say `desc`, responses say `description`). */
export const newTransactionSchema = z.object({ amount, desc: description });

/** A validated new transaction. */
export interface NewTransaction {
  amount: number;
  description: string;
}

function firstIssue(error: z.ZodError, fallbackField: string): never {
  const issue = error.issues[0];
  const field = typeof issue?.path[0] === "string" ? issue.path[0] : fallbackField;
  throw invalidField(field, issue?.message ?? `${field} is invalid`);
}

/** Validates a POST body; throws a 400 ApiError naming the first bad field. */
export function parseNewTransaction(fields: Record<string, unknown>): NewTransaction {
  // Present every key explicitly: zod 4 skips the schema of a missing key it deems optional.
  const result = newTransactionSchema.safeParse({
    amount: fields.amount,
    desc: "desc" in fields ? fields.desc : "",
  });
  if (!result.success) firstIssue(result.error, "amount");
  return { amount: result.data.amount, description: result.data.desc };
}

/** Validates an id from a path segment, a body or a query; throws a 400 ApiError naming `id`. */
export function parseId(value: unknown): number {
  const result = id.safeParse(value);
  if (!result.success) firstIssue(result.error, "id");
  return result.data;
}

/** Page size of `GET /transaction?after=` when `limit` is not given. */
export const DEFAULT_PAGE_LIMIT = 100;
/** Largest page `GET /transaction?limit=` serves (bounds the query, the body and the cache entry). */
export const MAX_PAGE_LIMIT = 1_000;

/** A validated keyset page request: rows with an id above `after`, at most `limit` of them. */
export interface PageQuery {
  after: number;
  limit: number;
}

/**
 * Validates `?limit=&after=`; throws a 400 naming the field. `after` is the `next` cursor of the
 * previous page (absent or 0 for the first page).
 */
export function parsePageQuery(limit: string | undefined, after: string | undefined): PageQuery {
  let parsedLimit = DEFAULT_PAGE_LIMIT;
  if (limit !== undefined) {
    parsedLimit = /^\d{1,4}$/.test(limit) ? Number(limit) : Number.NaN;
    if (!(parsedLimit >= 1 && parsedLimit <= MAX_PAGE_LIMIT)) {
      throw invalidField(
        "limit",
        `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT} (got ${JSON.stringify(limit.slice(0, 20))})`,
      );
    }
  }
  let parsedAfter = 0;
  if (after !== undefined && after !== "") {
    parsedAfter = /^\d{1,10}$/.test(after) ? Number(after) : Number.NaN;
    if (!(parsedAfter >= 0 && parsedAfter <= MAX_ID)) {
      throw invalidField(
        "after",
        `after must be the next cursor of a previous page, a whole number from 0 to ${MAX_ID} (got ${JSON.stringify(after.slice(0, 20))})`,
      );
    }
  }
  return { after: parsedAfter, limit: parsedLimit };
}
