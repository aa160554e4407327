/**
 * The real entry point as a child process: configuration errors name the variable and exit
 * non-zero; SIGTERM stops new connections, lets the in-flight request finish, closes the pool and
 * Redis, and exits 0.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../harness/servers.js";
import { createTestDatabase, hostPort, waitFor, type TestDatabase } from "../harness/fixtures.js";

const API_DIR = fileURLToPath(new URL("../..", import.meta.url));
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
});

afterAll(async () => {
  await db?.drop();
});

interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: API_DIR,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

describe("server process", () => {
  it("refuses to start with a bad configuration, naming each variable", async () => {
    const child = startServer({
      DB_HOST: "db",
      DB_USER: "u",
      REDIS_HOST: "r",
      PORT: "99999",
      CACHE_TTL_SECONDS: "soon",
    });
    expect(await child.exited).toBe(2);
    expect(child.output()).toContain("PORT: must be at most 65535");
    expect(child.output()).toContain(
      'CACHE_TTL_SECONDS: must be a whole number between 1 and 86400 (got "soon")',
    );
  });

  it("drains on SIGTERM: refuses new connections, finishes the in-flight request, exits 0", async () => {
    const port = await freePort();
    const redis = hostPort(inject("testRedisUrl"), 6379);
    const child = startServer({
      PORT: String(port),
      DB_HOST: db.config.host,
      DB_PORT: String(db.config.port),
      DB_USER: db.config.user,
      DB_PASSWORD: db.config.password,
      DB_NAME: db.name,
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      LOG_LEVEL: "info",
    });
    try {
      await waitFor(
        () => child.output().includes('"message":"listening"'),
        15_000,
        "server listening",
      );

      // An in-flight request: headers sent, body still on its way when SIGTERM arrives.
      const body = JSON.stringify({ amount: "5.00", desc: "in flight at shutdown" });
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            path: "/transaction",
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              "Content-Length": Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on("error", reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          child.process.kill("SIGTERM");
          setTimeout(() => req.end(body.slice(10)), 300);
        }, 100);
      });

      await waitFor(() => child.output().includes("shutting down"), 5_000, "shutdown started");
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
      const finished = await answer;
      expect(finished.status).toBe(200);
      expect(JSON.parse(finished.text)).toMatchObject({
        message: "added transaction successfully",
      });
      expect(await child.exited).toBe(0);
      expect(child.output()).toContain('"message":"shutdown complete"');
      expect(await db.query("SELECT description FROM transactions")).toEqual([
        { description: "in flight at shutdown" },
      ]);
    } finally {
      child.process.kill("SIGKILL");
    }
  });
});
