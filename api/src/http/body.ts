/**
 * Request bodies: JSON or form-encoded, at most {@link BODY_LIMIT_BYTES}, always ending up as a
 * plain object of fields. Includes GET bodies, which the legacy `GET /transaction/id` relies on
 * and which the Fetch API (and so Hono's `c.req`) refuses to expose.
 */
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { ApiError, invalidField } from "./errors.js";
import type { AppEnv } from "./env.js";
import { requestHeader } from "./headers.js";

/**
 * Largest accepted request body. The biggest legitimate body (a 100-character description, in
 * 4-byte UTF-8 and JSON-escaped) is well under 1 KiB; 16 KiB leaves room and caps abuse.
 */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** The error answered for a body over the limit. */
export const bodyTooLarge = (): ApiError =>
  new ApiError(413, "body_too_large", `request body too large (limit ${BODY_LIMIT_BYTES} bytes)`);

/** Strict UTF-8: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

const notUtf8 = (): ApiError =>
  new ApiError(400, "invalid_body", "request body is not valid UTF-8");

/** Decodes the body bytes, refusing invalid UTF-8 (the original stored U+FFFD silently). */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw notUtf8();
  }
}

// In a `u` regex a surrogate pair is one code point, so this class matches only lone surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const wellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

/**
 * Throws a 400 when a string anywhere in a parsed body holds a lone UTF-16 surrogate (JSON's
 * `"\ud800"`), which UTF-8 cannot encode and MySQL would store as "?" or U+FFFD. The field named
 * is the top-level key the bad string sits under.
 */
export function assertWellFormed(fields: Record<string, unknown>): void {
  const bad = (value: unknown): boolean => {
    if (typeof value === "string") return !wellFormed(value);
    if (Array.isArray(value)) return value.some(bad);
    if (typeof value === "object" && value !== null) {
      return Object.entries(value).some(([key, inner]) => bad(key) || bad(inner));
    }
    return false;
  };
  for (const [key, value] of Object.entries(fields)) {
    if (!wellFormed(key)) {
      throw new ApiError(400, "invalid_body", "request body has a key that is not valid Unicode");
    }
    if (bad(value)) {
      throw invalidField(key, `${key} is not valid Unicode (it holds a lone surrogate)`);
    }
  }
}

/**
 * Form fields, percent-decoded strictly: URLSearchParams would turn `%FF` into U+FFFD, while
 * decodeURIComponent refuses a sequence that is not UTF-8. A repeated name keeps its last value.
 */
function parseForm(text: string): Record<string, unknown> {
  const fields = new Map<string, string>();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const [rawKey, rawValue] = eq < 0 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
    try {
      const key = decodeURIComponent(rawKey.replaceAll("+", " "));
      fields.set(key, decodeURIComponent(rawValue.replaceAll("+", " ")));
    } catch {
      throw notUtf8();
    }
  }
  return Object.fromEntries(fields);
}

const unsupportedType = (type: string): ApiError =>
  new ApiError(
    415,
    "unsupported_media_type",
    `Content-Type ${type} is not supported; send application/json or application/x-www-form-urlencoded`,
  );

/**
 * Reads the body from Node's request stream, stopping at the limit (chunked uploads too). Used
 * whenever the API is served by Node: for GET bodies, which the Fetch API (and so `c.req`)
 * refuses to expose, and for every other body because it is far cheaper than the Fetch body,
 * for which @hono/node-server builds a full Request (URL, Headers, AbortSignal) and a web stream
 * over this same stream (about a tenth of a POST's CPU in the issue #11 profile). Past the limit
 * the rest of the body is read and dropped, so the 413 answer still reaches the client.
 */
function readIncoming(incoming: IncomingMessage): Promise<string> {
  if (incoming.readableEnded) return Promise.resolve("");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        stop();
        incoming.resume();
        reject(bodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      try {
        resolve(decodeUtf8(Buffer.concat(chunks, size)));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: unknown): void => {
      stop();
      reject(error);
    };
    // Closed before its end: the client went away mid-body.
    const onClose = (): void => onError(new Error("request closed before its body ended"));
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}

/** Reads the Fetch request body (under `app.request()`), stopping as soon as it passes the limit. */
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
  return decodeUtf8(Buffer.concat(chunks));
}

/**
 * Parses the body into fields. JSON must be an object; form fields arrive as strings. An empty
 * body gives `{}`. A missing Content-Type is read as JSON, the only thing the web client sends.
 */
export async function readFields(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  // Refuse a declared oversize body before reading a byte of it.
  if (Number(requestHeader(c, "content-length") ?? 0) > BODY_LIMIT_BYTES) throw bodyTooLarge();
  const incoming = c.env?.incoming;
  const text = incoming ? await readIncoming(incoming) : await readRequest(c);
  if (text.trim() === "") return {};
  const type = (requestHeader(c, "content-type") ?? "application/json")
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
    // Duplicate keys: JSON.parse keeps the last one, as the original did (documented in README).
    assertWellFormed(parsed as Record<string, unknown>);
    return parsed as Record<string, unknown>;
  }
  if (type === "application/x-www-form-urlencoded") {
    const fields = parseForm(text);
    assertWellFormed(fields);
    return fields;
  }
  throw unsupportedType(type);
}
