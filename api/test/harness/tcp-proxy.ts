/**
 * A tiny TCP proxy on 127.0.0.1 that tests put between the API and MariaDB or Redis, so they can
 * make a dependency unreachable without stopping the shared server other test files use.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

/** A running proxy; `port` stays the same across cut/restore. */
export interface TcpProxy {
  readonly port: number;
  /** Refuses new connections and resets open ones: the dependency looks down (ECONNREFUSED). */
  cut(): Promise<void>;
  /**
   * Keeps sockets open but forwards nothing, as a dead host behind a firewall that drops packets
   * would: clients see no error, only silence, until their own timeouts fire.
   */
  blackhole(): void;
  /** Forwards again (after cut or blackhole). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy from a free port on 127.0.0.1 to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let silent = false;
  let server: Server | undefined;
  let port = 0;

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };

  const onConnection = (client: Socket): void => {
    track(client);
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
    client.on("data", (chunk: Buffer) => {
      if (!silent) upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!silent) client.write(chunk);
    });
  };

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const next = createServer(onConnection);
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        const address = next.address();
        if (typeof address === "object" && address) port = address.port;
        server = next;
        resolve();
      });
    });

  const shut = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.resetAndDestroy();
      if (!server) return resolve();
      const closing = server;
      server = undefined;
      closing.close(() => resolve());
    });

  await listen();
  return {
    get port() {
      return port;
    },
    cut: shut,
    blackhole() {
      silent = true;
    },
    async restore() {
      silent = false;
      if (!server) await listen();
    },
    close: shut,
  };
}
