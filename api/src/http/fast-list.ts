/**
 * `GET /transaction` (the web client's read after every write, and most of its traffic) answered
 * by Node directly instead of through Hono. Under @hono/node-server, each request builds a Fetch
 * `Request`, a Hono `Context`, runs the middleware chain and route search, builds a `Response`
 * and converts it back for Node; for a cached read that was about half of the API's own CPU
 * beyond what a bare in-memory server spends (issue #11 profile). Here the same work is done
 * with Node's objects: one `writeHead` with a flat header list and one `end`.
 *
 * It answers exactly what the Hono route does (tested side by side in fast-list.test.ts): the
 * same cache read (`TransactionCache.readList`, so the same generation check in Redis and the same
 * turn-shared `MGET`: consistency is the cache's, unchanged), the same headers (request id, CORS,
 * content type and length), the same metrics and access line, the same error answers
 * (`errorAnswer`). Anything else (another method or path, a query string, a Host header the
 * Fetch API would reject) is left to Hono.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TransactionCache } from "../cache/index.js";
import { describeError, type Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { allowedOrigins, appendCorsHeaders } from "./cors.js";
import { errorAnswer } from "./errors.js";
import { incomingHeader } from "./headers.js";
import { accessLineWriter } from "./access-line.js";
import { pickRequestId } from "./observe.js";

/** Answers a request and returns true, or returns false to leave it to the app. */
export type NodeFastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const fastPaths = new WeakMap<object, NodeFastPath>();

/** Attaches a fast path to an app; `createHttpServer` tries it before the app. */
export function setNodeFastPath(app: object, fastPath: NodeFastPath): void {
  fastPaths.set(app, fastPath);
}

/** The fast path attached to `app`, if any. */
export function nodeFastPath(app: object): NodeFastPath | undefined {
  return fastPaths.get(app);
}

/** What {@link fastList} needs: the same parts the Hono route and middleware use. */
export interface FastListDeps {
  cache: TransactionCache;
  /** Loads the list body from MySQL on a miss (the route's own loader). */
  loadList: () => Promise<string>;
  metrics: Metrics;
  logger: Logger;
  corsOrigin: "*" | readonly string[];
}

const ROUTE = "/transaction";

/** Hosts already checked; bounded, since clients choose the Host header. */
const MAX_REMEMBERED_HOSTS = 64;

/**
 * Whether @hono/node-server accepts `host` for a plain HTTP request (its `newRequest` check:
 * present, parsable into a URL, and the URL's hostname is the header's name). A rejected one is
 * left to it, so it answers its own 400.
 */
function acceptedHost(host: string | undefined): boolean {
  if (!host) return false;
  try {
    const { hostname } = new URL(`http://${host}${ROUTE}`);
    return hostname.length === host.length || hostname === host.replace(/:\d+$/, "");
  } catch {
    return false;
  }
}

/** Builds the fast path of `GET /transaction` (and `/transaction/`, as Hono matches it too). */
export function fastList({
  cache,
  loadList,
  metrics,
  logger,
  corsOrigin,
}: FastListDeps): NodeFastPath {
  // The access line of observe.ts, byte for byte, from a template (see access-line.ts).
  const logRequest = accessLineWriter(logger, "GET", ROUTE);
  const allowed = allowedOrigins(corsOrigin);
  const observeHit = metrics.requestObserver("GET", ROUTE, 200, "hit");
  const observeMiss = metrics.requestObserver("GET", ROUTE, 200, "miss");
  const hosts = new Set<string>();
  // Content-Length of the last body served: under load every answer carries the same one.
  let lastBody = "";
  let lastLength = "0";

  /** Request id and CORS headers, as observe.ts and cors.ts set them, in their order. */
  const leadingHeaders = (
    req: IncomingMessage,
    requestId: string,
    correlated: boolean,
  ): string[] => {
    const headers = ["X-Request-Id", requestId];
    if (correlated) headers.push("X-Correlation-Id", requestId);
    appendCorsHeaders(headers, allowed, allowed ? incomingHeader(req, "origin") : undefined);
    return headers;
  };

  return function fastListRequest(req, res) {
    if (req.method !== "GET") return false;
    const path = req.url;
    if (path !== ROUTE && path !== "/transaction/") return false;
    const host = req.headers.host;
    if (host === undefined || !hosts.has(host)) {
      if (!acceptedHost(host)) return false;
      if (hosts.size >= MAX_REMEMBERED_HOSTS) hosts.clear();
      hosts.add(host!);
    }
    const started = performance.now();
    const correlationId = incomingHeader(req, "x-correlation-id");
    const requestId = pickRequestId(incomingHeader(req, "x-request-id"), correlationId);
    cache
      .readList(loadList)
      .then(
        (read) => {
          const body = read.body!;
          if (body !== lastBody) {
            lastBody = body;
            lastLength = String(Buffer.byteLength(body));
          }
          const seconds = (performance.now() - started) / 1_000;
          const headers = leadingHeaders(req, requestId, correlationId !== undefined);
          headers.push("Content-Type", "application/json", "Content-Length", lastLength);
          res.writeHead(200, headers);
          res.end(body);
          (read.cache === "hit" ? observeHit : observeMiss)(seconds);
          logRequest(requestId, path, 200, read.cache, seconds);
        },
        (error: unknown) => {
          const answer = errorAnswer(error, logger, requestId);
          const body = JSON.stringify(answer.body);
          const seconds = (performance.now() - started) / 1_000;
          const headers = leadingHeaders(req, requestId, correlationId !== undefined);
          // As Hono's error answers reach Node: through a Fetch `Headers`, so lower-case names in
          // sorted order, then the Content-Length @hono/node-server adds.
          const own: Array<[string, string]> = [["content-type", "application/json"]];
          for (const [name, value] of Object.entries(answer.headers ?? {}))
            own.push([name.toLowerCase(), value]);
          own.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          for (const [name, value] of own) headers.push(name, value);
          headers.push("Content-Length", String(Buffer.byteLength(body)));
          res.writeHead(answer.status, headers);
          res.end(body);
          // As in the Hono route: a read that failed set no cache outcome.
          metrics.observeRequest("GET", ROUTE, answer.status, "none", seconds);
          logRequest(requestId, path, answer.status, "none", seconds);
        },
      )
      .catch((error: unknown) => {
        // A bug above, not a request's failure: log it and drop the connection rather than hang.
        logger.error({ requestId, err: describeError(error) }, "unhandled error");
        res.destroy();
      });
    return true;
  };
}
