import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";

/** A running moto_server on 127.0.0.1. */
export interface Emulator {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Fails with a clear message when moto_server is not installed (CI must not skip silently). */
export function requireMoto(): void {
  const found = spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" });
  if (found.status !== 0)
    throw new Error(
      "moto_server is not on PATH: the rehearsal needs moto 5.2.1 (pip install 'moto[server]==5.2.1')",
    );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts one moto_server (its own port and state) with AWS-managed IAM policies loaded, which
 * attaching e.g. AmazonEKSClusterPolicy needs; `log` receives its request log.
 */
export async function startEmulator(log: string): Promise<Emulator> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = createWriteStream(log);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  // Up to two minutes: on a loaded machine (CI runners, parallel work) moto's start alone has
  // taken over 30 s.
  for (let attempt = 0; attempt < 480; attempt++) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return { endpoint, process: child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`moto_server did not start on ${endpoint} (see ${log})`);
}
