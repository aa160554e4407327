/**
 * `npm run api:local` and `npm run api:start` as a developer runs them: real processes, real
 * MariaDB and Redis, real HTTP. Each command runs in its own process group, like a terminal job,
 * so "Ctrl-C" is a SIGINT to the whole group and "nothing left behind" is an empty group.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { createTestDatabase, waitFor, type TestDatabase } from "../test/harness/fixtures.js";
import { freePort } from "../test/harness/servers.js";

const REPO_DIR = fileURLToPath(new URL("../..", import.meta.url));
const API_DIR = fileURLToPath(new URL("..", import.meta.url));

/** A command started in a process group of its own, with its output collected. */
interface Job {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the group leader's exit status as a shell reports it (128 + n for signal n). */
  readonly exited: Promise<number>;
}

const jobs: Job[] = [];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Job {
  const child = spawn(command, args, {
    cwd: REPO_DIR,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  // npm re-raises the signal that stopped its script, so it ends "by" SIGINT: a shell says 130.
  const exited = new Promise<number>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? 128 + constants.signals[signal!])),
  );
  const job = { child, output: () => text, exited };
  jobs.push(job);
  return job;
}

/** True while any process of the group led by `pid` is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when a TCP connection to 127.0.0.1:`port` is refused. */
async function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

/** The first capture of `pattern` in the job's output, waited for up to `timeoutMs`. */
async function awaitLine(job: Job, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  try {
    await waitFor(
      () => pattern.test(job.output()) || job.child.exitCode !== null,
      timeoutMs,
      String(pattern),
    );
  } catch (error) {
    throw new Error(`${String(error)}; output so far:\n${job.output()}`);
  }
  const match = pattern.exec(job.output());
  if (!match) throw new Error(`exited before ${pattern}; output:\n${job.output()}`);
  return match;
}

/** Waits for the group leader's exit and for the whole group to be gone; returns the exit code. */
async function awaitGroupExit(job: Job, timeoutMs: number): Promise<number> {
  const code = await Promise.race([
    job.exited,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`no exit in ${timeoutMs} ms:\n${job.output()}`)),
        timeoutMs,
      ),
    ),
  ]);
  await waitFor(() => !groupAlive(job.child.pid!), 5_000, "process group to be empty");
  return code;
}

afterEach(() => {
  // A failed assertion must not leave servers behind.
  for (const job of jobs.splice(0)) {
    if (groupAlive(job.child.pid!)) process.kill(-job.child.pid!, "SIGKILL");
  }
});

const TSX_CLI = createRequire(import.meta.url).resolve("tsx/cli");
const STARTED = /\[api:local\] temporary directory (\S+)\n/;
const SERVERS = /\[api:local\] MariaDB on 127\.0\.0\.1:(\d+), Redis on 127\.0\.0\.1:(\d+)\n/;
const READY = /\[api:local\] API ready at (http:\/\/127\.0\.0\.1:(\d+)) with (\d+) seeded rows/;

describe("npm run api:local", () => {
  it("serves the seeded expenses, and Ctrl-C stops every process and removes the temp dirs", async () => {
    const started = Date.now();
    const job = run("npm", ["run", "api:local"]);
    const [, root] = await awaitLine(job, STARTED, 30_000);
    const [, dbPort, redisPort] = await awaitLine(job, SERVERS, 60_000);
    const [, url, apiPort, seeded] = await awaitLine(job, READY, 60_000);
    const readyMs = Date.now() - started;
    console.log(`api:local ready in ${readyMs} ms`);

    const response = await fetch(`${url}/transaction`);
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as {
      result: Array<{ id: number; amount: number; description: string }>;
    };
    expect(result).toHaveLength(Number(seeded));
    expect(Number(seeded)).toBeGreaterThanOrEqual(5);
    expect(result).toContainEqual({ id: 2, amount: 84.37, description: "groceries" });
    expect(existsSync(root!)).toBe(true);

    // Ctrl-C: the terminal sends SIGINT to the whole foreground group (npm, tsx, the servers).
    const stopAt = Date.now();
    process.kill(-job.child.pid!, "SIGINT");
    const code = await awaitGroupExit(job, 30_000);
    const stopMs = Date.now() - stopAt;
    expect([0, 130]).toContain(code);
    expect(job.output()).toContain("[api:local] stopped; removed");
    for (const port of [apiPort, dbPort, redisPort])
      expect(await portClosed(Number(port))).toBe(true);
    expect(existsSync(root!)).toBe(false);
    console.log(`api:local stopped in ${stopMs} ms`);
  }, 150_000);

  it("SIGTERM to the script alone, half-way through start-up, still stops and removes everything", async () => {
    // Straight through tsx (no npm), and the signal goes to tsx only, as a process manager sends it.
    const job = run(process.execPath, [TSX_CLI, "api/scripts/local.ts"]);
    const [, root] = await awaitLine(job, STARTED, 30_000);
    const [, dbPort, redisPort] = await awaitLine(job, SERVERS, 60_000);
    job.child.kill("SIGTERM");
    const code = await awaitGroupExit(job, 30_000);
    expect(code).toBe(0);
    expect(job.output()).not.toMatch(READY);
    for (const port of [dbPort, redisPort]) expect(await portClosed(Number(port))).toBe(true);
    expect(existsSync(root!)).toBe(false);
  }, 150_000);
});

describe("npm run api:start", () => {
  let db: TestDatabase | undefined;
  afterAll(async () => db?.drop());

  it("builds api/dist on a clean clone and serves from it", async () => {
    db = await createTestDatabase(inject("testDatabaseUrl"));
    const dbUrl = new URL(inject("testDatabaseUrl"));
    const redisUrl = new URL(inject("testRedisUrl"));
    await db.query("INSERT INTO transactions (amount, description) VALUES (9.99, 'books')");
    // A clean clone has no api/dist (it is git-ignored); the start script must build it.
    await rm(`${API_DIR}/dist`, { recursive: true, force: true });
    const port = await freePort();
    const job = run("npm", ["run", "api:start"], {
      ...process.env,
      PORT: String(port),
      DB_HOST: dbUrl.hostname,
      DB_PORT: dbUrl.port,
      DB_USER: decodeURIComponent(dbUrl.username) || "root",
      DB_PASSWORD: decodeURIComponent(dbUrl.password),
      DB_NAME: db.name,
      REDIS_HOST: redisUrl.hostname,
      REDIS_PORT: redisUrl.port,
    });
    const started = Date.now();
    await waitFor(
      async () => {
        if (job.child.exitCode !== null) throw new Error(`api:start exited:\n${job.output()}`);
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        return ready?.status === 200;
      },
      240_000,
      "api:start to answer /health/ready",
    );
    const readyMs = Date.now() - started;
    expect(existsSync(`${API_DIR}/dist/server.js`)).toBe(true);
    const list = await fetch(`http://127.0.0.1:${port}/transaction`);
    expect(await list.json()).toEqual({ result: [{ id: 1, amount: 9.99, description: "books" }] });

    process.kill(-job.child.pid!, "SIGTERM");
    expect([0, 143]).toContain(await awaitGroupExit(job, 30_000));
    // The server itself shut down gracefully (its exit code is hidden behind npm's).
    expect(job.output()).toContain('"message":"shutdown complete"');
    expect(await portClosed(port)).toBe(true);
    console.log(`api:start (build + start) ready in ${readyMs} ms`);
  }, 300_000);
});
