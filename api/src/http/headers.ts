/**
 * Header access for the per-request middleware without Fetch `Headers` objects. Under
 * `@hono/node-server`, `c.req.header()` builds a `Headers` from every incoming header on first
 * use, and `c.header()` before the handler makes Hono merge its response headers through another
 * `Headers` and the server convert it back: together a measurable share of a cached read's CPU
 * (issue #11 profile). Served by Node, these read Node's parsed headers and set headers on
 * Node's response, which `writeHead` merges with the handler's; under `app.request()` (no Node
 * objects) they fall back to Hono's.
 */
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import type { AppEnv } from "./env.js";

/** A header of Node's request by lower-case name; repeated ones comma-joined, as in Fetch. */
export function incomingHeader(
  incoming: IncomingMessage,
  name: Lowercase<string>,
): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** A request header by lower-case name; repeated headers read as one comma-joined value, as in Fetch. */
export function requestHeader(c: Context<AppEnv>, name: Lowercase<string>): string | undefined {
  const incoming = c.env?.incoming;
  return incoming ? incomingHeader(incoming, name) : c.req.header(name);
}

/** Sets a response header before the handler answers; the handler's own headers take precedence. */
export function setResponseHeader(c: Context<AppEnv>, name: string, value: string): void {
  const outgoing = c.env?.outgoing;
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}
