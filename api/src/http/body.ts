/**
 * Request bodies: JSON or form-encoded, at most {@link BODY_LIMIT_BYTES}, always ending up as a
 * plain object of fields. Includes GET bodies, which the legacy `GET /transaction/id` relies on
 * and which the Fetch API (and so Hono's `c.req`) refuses to expose.
 */
import type { Context } from "hono";
import { ApiError } from "./errors.js";
import type { AppEnv } from "./env.js";

/**
 * Largest accepted request body. The biggest legitimate body (a 100-character description, in
 * 4-byte UTF-8 and JSON-escaped) is well under 1 KiB; 16 KiB leaves room and caps abuse.
 */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** The error answered for a body over the limit. */
export const bodyTooLarge = (): ApiError =>
  new ApiError(413, "body_too_large", `request body too large (limit ${BODY_LIMIT_BYTES} bytes)`);

const unsupportedType = (type: string): ApiError =>
  new ApiError(
    415,
    "unsupported_media_type",
    `Content-Type ${type} is not supported; send application/json or application/x-www-form-urlencoded`,
  );

/** Reads a GET request's body from Node's request stream (absent under `app.request()`). */
async function readIncoming(c: Context<AppEnv>): Promise<string> {
  const incoming = c.env?.incoming;
  if (!incoming || incoming.readableEnded) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) throw bodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads the Fetch request body, stopping as soon as it passes the limit (chunked uploads too). */
async function readRequest(c: Context<AppEnv>): Promise<string> {
  const body = c.req.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > BODY_LIMIT_BYTES) {
      void reader.cancel().catch(() => undefined);
      throw bodyTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Parses the body into fields. JSON must be an object; form fields arrive as strings. An empty
 * body gives `{}`. A missing Content-Type is read as JSON, the only thing the web client sends.
 */
export async function readFields(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  // Refuse a declared oversize body before reading a byte of it.
  if (Number(c.req.header("content-length") ?? 0) > BODY_LIMIT_BYTES) throw bodyTooLarge();
  const method = c.req.method;
  const text = method === "GET" || method === "HEAD" ? await readIncoming(c) : await readRequest(c);
  if (text.trim() === "") return {};
  const type = (c.req.header("content-type") ?? "application/json")
    .split(";", 1)[0]!
    .trim()
    .toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(400, "malformed_json", "request body is not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ApiError(400, "invalid_body", "request body must be a JSON object");
    }
    return parsed as Record<string, unknown>;
  }
  if (type === "application/x-www-form-urlencoded") {
    return Object.fromEntries(new URLSearchParams(text));
  }
  throw unsupportedType(type);
}
