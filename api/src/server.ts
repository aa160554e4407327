/**
 * Process entry point: reads the configuration, serves the app on PORT (default 4000) and shuts
 * down gracefully on SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the
 * MySQL pool and the Redis connection, exit 0.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { ConfigError, loadConfig, type Config } from "./config.js";
import type { AppEnv } from "./http/env.js";
import { nodeFastPath } from "./http/fast-list.js";
import { describeError, type Logger } from "./logger.js";
import { createRuntime, type RuntimeOptions } from "./runtime.js";

/**
 * Longest a shutdown waits for in-flight requests before closing their connections. The chart
 * gives the pod 30 s after it is marked for termination and spends 10 s of them in preStop, so
 * this must end well inside the remaining 20 s for the pool and Redis to close before SIGKILL.
 */
export const SHUTDOWN_GRACE_MS = 15_000;

const BAD_REQUEST_BODY = '{"message":"malformed HTTP request","error":{"code":"bad_request"}}';
const BAD_REQUEST =
  "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n" +
  `Content-Length: ${Buffer.byteLength(BAD_REQUEST_BODY)}\r\n\r\n${BAD_REQUEST_BODY}`;

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  /**
   * Serve what the app's Node fast path covers (cached `GET /transaction`, fast-list.ts) without
   * Hono. Tests turn it off to compare its answers with Hono's. @default true
   */
  fastPath?: boolean;
}

/** An HTTP server for `app`, answering JSON even to requests too broken to reach it. */
export function createHttpServer(app: Hono<AppEnv>, options: HttpServerOptions = {}): Server {
  const listener = getRequestListener(app.fetch, {
    // A request Node parsed but the Fetch API rejects (e.g. an invalid Host) never reaches Hono.
    errorHandler: () =>
      new Response(
        JSON.stringify({ message: "malformed request", error: { code: "bad_request" } }),
        {
          status: 400,
          headers: { "Content-Type": "application/json" },
        },
      ),
  });
  const fastPath = options.fastPath === false ? undefined : nodeFastPath(app);
  const server = createServer(
    fastPath
      ? (req, res) => {
          if (!fastPath(req, res)) void listener(req, res);
        }
      : listener,
  );
  // Longer than the load balancer's idle timeout (ALB: 60 s), so the balancer, not us, closes
  // idle keep-alive connections and never sends a request into one we are closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end(BAD_REQUEST);
    else socket.destroy();
  });
  return server;
}

/** A listening API process. */
export interface StartedServer {
  readonly server: Server;
  readonly port: number;
  readonly logger: Logger;
  /** Graceful shutdown (idempotent); resolves when everything is closed. */
  shutdown(): Promise<void>;
}

/** Builds the runtime and listens on `config.port` (0 picks a free port). */
export async function startServer(
  config: Config,
  options: RuntimeOptions & { host?: string } = {},
): Promise<StartedServer> {
  let draining = false;
  const runtime = createRuntime(config, { ...options, isDraining: () => draining });
  const { logger } = runtime;
  const server = createHttpServer(runtime.app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info(
    { port, database: config.db.database, cacheTtlSeconds: config.cacheTtlSeconds },
    "listening",
  );

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (closing ??= (async () => {
      draining = true;
      logger.info("shutting down: no new connections, finishing in-flight requests");
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections with no request in flight would hold close() open until their
      // idle timeout; close them now and again as in-flight requests finish.
      server.closeIdleConnections();
      const sweeper = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => {
        logger.warn("grace period over, closing remaining connections");
        server.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      await closed;
      clearInterval(sweeper);
      clearTimeout(deadline);
      await runtime.close();
      logger.info("shutdown complete");
      // The log destination is buffered (logger.ts): write out what is left before exiting.
      logger.flush();
    })());
  return { server, port, logger, shutdown };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const { logger, shutdown } = await startServer(config);
  // A stray rejection is a bug to log, not a reason to drop every in-flight request.
  process.on("unhandledRejection", (error) => {
    logger.error({ err: describeError(error) }, "unhandled promise rejection");
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "signal received");
      shutdown().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.fatal({ err: describeError(error) }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
