/**
 * `npm run api:local`: the API on a throwaway local stack in one command. Starts MariaDB and Redis
 * on free ports of 127.0.0.1 (the test harness's servers), creates the database and the two users
 * the API expects (a migration user and a least-privilege application user, as in AWS), runs the
 * migrations, seeds a few expenses and runs the API with reload (`tsx watch src/server.ts`).
 * Ctrl-C (SIGINT) or SIGTERM stops the API, mariadbd and redis-server and deletes every temporary
 * directory, also when start-up failed or was interrupted half-way.
 *
 * Every line of its own starts with `[api:local]`; the API's JSON log lines come in between.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import mysql from "mysql2/promise";
import type { DatabaseConfig } from "../src/config.js";
import { connectionOptions } from "../src/db/client.js";
import { runMigrations } from "../src/db/migrate.js";
import { grantAppUser, provisionUsers, type ProvisionOptions } from "../src/db/provision.js";
import { API_ENV_VARS } from "../src/env-vars.js";
import {
  freePort,
  startMariaDb,
  startRedis,
  type ThrowawayServer,
} from "../test/harness/servers.js";

/** The API workspace (`api/`). */
const API_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Database and users, named as the chart names them; the passwords are new on every run. */
const DATABASE = "webappdb";
const APP_USER = "expense_app";
const MIGRATION_USER = "expense_migrator";

/** How long the API may take to answer `/health/ready` after it was started. */
const READY_TIMEOUT_MS = 60_000;

/** Realistic expenses, as the web client would have added them (amount, description). */
const SEED_EXPENSES: ReadonlyArray<readonly [string, string]> = [
  ["1250.00", "rent"],
  ["84.37", "groceries"],
  ["12.50", "lunch"],
  ["45.99", "electricity bill"],
  ["-20.00", "refund: returned headphones"],
  ["3.80", "coffee"],
];

/** Prints one line of this script (not of the API) to stdout. */
function say(message: string): void {
  process.stdout.write(`[api:local] ${message}\n`);
}

/** True when nothing listens on `port` on any interface (where the API binds). */
async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** The API's port: PORT when set (must be free), else 4000 (the web client's default) or any free one. */
async function choosePort(): Promise<number> {
  const wanted = process.env.PORT?.trim();
  if (wanted) {
    const port = Number(wanted);
    if (!/^\d+$/.test(wanted) || port < 1 || port > 65535)
      throw new Error(`PORT must be a whole number between 1 and 65535, got "${wanted}"`);
    if (!(await portIsFree(port))) throw new Error(`PORT ${port} is already in use`);
    return port;
  }
  return (await portIsFree(4000)) ? 4000 : freePort();
}

/** Runs `sql` as MariaDB's root over a fresh connection. */
async function asRoot(server: ThrowawayServer, sql: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: server.url });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

/**
 * Creates the database and both users, migrates as the migration user, grants the application
 * user its table and seeds the expenses as that user. Returns the API's database settings.
 */
async function prepareDatabase(server: ThrowawayServer): Promise<DatabaseConfig> {
  const passwords = {
    app: randomBytes(12).toString("hex"),
    migration: randomBytes(12).toString("hex"),
  };
  const options: ProvisionOptions = {
    database: DATABASE,
    appUser: APP_USER,
    migrationUser: MIGRATION_USER,
    login: { kind: "password", ...passwords },
  };
  await asRoot(server, `CREATE DATABASE \`${DATABASE}\``);
  const root = await mysql.createConnection({ uri: server.url });
  try {
    await provisionUsers(root, options);
    const config: DatabaseConfig = {
      host: "127.0.0.1",
      port: server.port,
      user: APP_USER,
      password: passwords.app,
      database: DATABASE,
      tls: false,
      poolSize: 10,
      migrationUser: MIGRATION_USER,
    };
    await runMigrations(config, { user: MIGRATION_USER, password: passwords.migration });
    await grantAppUser(root, options);
    return config;
  } finally {
    await root.end();
  }
}

/** Inserts {@link SEED_EXPENSES} as the application user; returns how many rows the table holds. */
async function seed(db: DatabaseConfig): Promise<number> {
  const connection = await mysql.createConnection(connectionOptions(db));
  try {
    await connection.query("INSERT INTO transactions (amount, description) VALUES ?", [
      SEED_EXPENSES.map(([amount, description]) => [amount, description]),
    ]);
    const [rows] = await connection.query("SELECT COUNT(*) AS n FROM transactions");
    return Number((rows as Array<{ n: number }>)[0]?.n);
  } finally {
    await connection.end();
  }
}

/**
 * The API's environment: this shell's, minus every variable the API reads (a DATABASE_URL or
 * DB_TLS exported for another database must not leak in), plus the local stack's settings.
 */
function apiEnvironment(
  port: number,
  db: DatabaseConfig,
  redis: ThrowawayServer,
  tmp: string | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(API_ENV_VARS)) delete env[name];
  // The servers' temporary directories live under this script's own TMPDIR; the API keeps the shell's.
  if (tmp === undefined) delete env.TMPDIR;
  else env.TMPDIR = tmp;
  return {
    ...env,
    PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL?.trim() || "info",
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    DB_NAME: db.database,
    DB_MIGRATION_USER: MIGRATION_USER,
    REDIS_HOST: "127.0.0.1",
    REDIS_PORT: String(redis.port),
    // The dev environment's TTL (the chart's dev value).
    CACHE_TTL_SECONDS: "60",
  };
}

/** Starts `tsx watch src/server.ts` (the workspace's `dev` script) with reload on save. */
function startApi(env: NodeJS.ProcessEnv): ChildProcess {
  const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
  // stdin stays the terminal's: tsx watch restarts the API when Return is pressed.
  return spawn(process.execPath, [tsxCli, "watch", "--clear-screen=false", "src/server.ts"], {
    cwd: API_DIR,
    env,
    stdio: "inherit",
  });
}

/** Polls `/health/ready` until it answers 200; throws if the API exits or the time runs out. */
async function waitReady(url: string, api: ChildProcess, isStopping: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !isStopping()) {
    if (api.exitCode !== null || api.signalCode !== null)
      throw new Error(`the API exited during start-up (${api.exitCode ?? api.signalCode})`);
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  if (!isStopping()) throw new Error(`the API did not answer ${url}/health/ready within 60 s`);
}

/** Waits until `child` exits; SIGTERM after `graceMs`, SIGKILL 10 s later. */
async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const term = setTimeout(() => child.kill("SIGTERM"), graceMs);
  const kill = setTimeout(() => child.kill("SIGKILL"), graceMs + 10_000);
  await exited;
  clearTimeout(term);
  clearTimeout(kill);
}

async function main(): Promise<void> {
  // Everything temporary (the servers' data directories) goes under one directory of ours, so
  // the teardown removes it all even when a server failed half-way through its own start.
  const shellTmp = process.env.TMPDIR;
  const root = await mkdtemp(join(tmpdir(), "expense-local-"));
  process.env.TMPDIR = root;
  say(`temporary directory ${root}`);

  /** Teardown steps, run last-registered first. */
  const teardown: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  let stopSignal: NodeJS.Signals | undefined;
  const stop = (code: number): Promise<void> =>
    (stopping ??= (async () => {
      say("stopping: API, MariaDB, Redis");
      for (const step of teardown.reverse()) {
        try {
          await step();
        } catch (error) {
          say(`teardown step failed: ${String(error)}`);
        }
      }
      await rm(root, { recursive: true, force: true });
      say(`stopped; removed ${root}`);
      process.exit(code);
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopSignal ??= signal;
      void stop(0);
    });
  }

  try {
    const port = await choosePort();
    // Registered before they finish starting: a signal during start-up waits for them, then stops them.
    const mariaDbStart = startMariaDb();
    teardown.push(async () => (await mariaDbStart.catch(() => undefined))?.stop());
    const redisStart = startRedis();
    teardown.push(async () => (await redisStart.catch(() => undefined))?.stop());
    const [mariaDb, redis] = await Promise.all([mariaDbStart, redisStart]);
    say(`MariaDB on 127.0.0.1:${mariaDb.port}, Redis on 127.0.0.1:${redis.port}`);
    if (stopping) return;

    const db = await prepareDatabase(mariaDb);
    const rows = await seed(db);
    say(`database ${DATABASE} migrated; seeded ${rows} rows`);
    if (stopping) return;

    const api = startApi(apiEnvironment(port, db, redis, shellTmp));
    // A Ctrl-C reaches tsx too (same process group): give it 3 s to stop the API gracefully first.
    teardown.push(() => stopProcess(api, stopSignal === "SIGINT" ? 3_000 : 0));
    api.once("exit", (code, signal) => {
      if (stopping) return;
      say(`the API watcher exited (${code ?? signal}); stopping`);
      void stop(1);
    });
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, api, () => stopping !== undefined);
    if (stopping) return;
    say(`API ready at ${url} with ${rows} seeded rows: curl ${url}/transaction`);
    say(
      `env: DB_HOST=127.0.0.1 DB_PORT=${db.port} DB_USER=${db.user} DB_PASSWORD=${db.password} ` +
        `DB_NAME=${db.database} REDIS_HOST=127.0.0.1 REDIS_PORT=${redis.port}`,
    );
    say("reloads on save; Ctrl-C stops everything");
  } catch (error) {
    say(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

await main();
