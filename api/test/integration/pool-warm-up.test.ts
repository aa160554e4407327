/**
 * Start-up pool warm-up on the real MariaDB: the runtime opens DB_POOL_SIZE connections before
 * readiness reports ready, so the first requests after a start do not wait for MySQL logins.
 * A user limited to fewer connections than the pool keeps the warm-up failing, which readiness
 * must show (503 `starting`) until the limit is lifted.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import {
  captureLogger,
  createTestDatabase,
  createTestRuntime,
  testConfig,
  waitFor,
  type TestDatabase,
} from "../harness/fixtures.js";

let db: TestDatabase;
const user = `warm_${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("hex");
const runtimes: Runtime[] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  await db.query(
    `CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}' WITH MAX_USER_CONNECTIONS 2`,
  );
  await db.query(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'127.0.0.1'`);
});

afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.close()));
  await db?.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`).catch(() => undefined);
  await db?.drop();
});

const ready = async (runtime: Runtime) => {
  const res = await runtime.app.request("/health/ready");
  return { status: res.status, body: (await res.json()) as { status: string } };
};

describe("pool warm-up at start-up", () => {
  it("opens the whole pool before any request and logs it", async () => {
    const log = captureLogger();
    const runtime = await createTestRuntime(
      testConfig({ ...db.config, poolSize: 6 }, inject("testRedisUrl")),
      { logger: log.logger, waitForPool: false },
    );
    runtimes.push(runtime);
    await runtime.poolWarm;
    // No request has run yet: every connection was opened by the warm-up.
    expect(runtime.db.poolStats()).toEqual({ all: 6, free: 6, queued: 0 });
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ message: "database pool warmed", connections: 6 }),
    );
    expect(await ready(runtime)).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("stays unready (starting) while the pool cannot open, and becomes ready once it can", async () => {
    const runtime = await createTestRuntime(
      testConfig({ ...db.config, user, password, poolSize: 4 }, inject("testRedisUrl")),
      { waitForPool: false },
    );
    runtimes.push(runtime);
    // MySQL answers (the ping gets one of the two allowed connections) but 4 cannot be opened.
    let seen: Awaited<ReturnType<typeof ready>> | undefined;
    await waitFor(
      async () => (seen = await ready(runtime)).body.status === "starting",
      10_000,
      "readiness says starting",
    );
    expect(seen).toEqual({
      status: 503,
      body: {
        status: "starting",
        checks: {
          database: { status: "up", latencyMs: expect.any(Number) },
          redis: { status: "up", latencyMs: expect.any(Number) },
        },
      },
    });

    await db.query(`ALTER USER '${user}'@'127.0.0.1' WITH MAX_USER_CONNECTIONS 0`);
    await runtime.poolWarm;
    expect(runtime.db.poolStats().all).toBe(4);
    expect(await ready(runtime)).toMatchObject({ status: 200, body: { status: "ok" } });
  });
});
