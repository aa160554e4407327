/**
 * MySQL unreachable: data routes answer 503 JSON, readiness fails, the process stays up, and
 * everything recovers by itself once MySQL is reachable again. MySQL sits behind a proxy the test
 * cuts, so the shared server keeps serving the other test files.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import {
  createTestDatabase,
  createTestRuntime,
  hostPort,
  testConfig,
  waitFor,
  type TestDatabase,
} from "../harness/fixtures.js";
import { startTcpProxy, type TcpProxy } from "../harness/tcp-proxy.js";

let db: TestDatabase;
let proxy: TcpProxy;
let rt: Runtime;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  proxy = await startTcpProxy(hostPort(inject("testDatabaseUrl"), 3306));
  rt = await createTestRuntime(
    testConfig({ ...db.config, host: "127.0.0.1", port: proxy.port }, inject("testRedisUrl")),
  );
});

afterAll(async () => {
  await rt?.close();
  await proxy?.close();
  await db?.drop();
});

const request = async (path: string, init?: RequestInit) => {
  const res = await rt.app.request(path, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const post = (desc: string) =>
  request("/transaction", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount: "3.00", desc }),
  });

describe("MySQL unreachable", () => {
  it("answers 503 JSON and fails readiness, then recovers on its own", async () => {
    expect((await post("before")).status).toBe(200);
    expect((await request("/health/ready")).status).toBe(200);

    await proxy.cut();
    const unavailable = {
      message: "database unavailable, try again shortly",
      error: { code: "database_unavailable" },
    };
    expect(await post("lost")).toEqual({ status: 503, body: unavailable });
    expect(await request("/transaction", { method: "DELETE" })).toEqual({
      status: 503,
      body: unavailable,
    });
    expect(await request("/transaction/999")).toEqual({ status: 503, body: unavailable });
    const ready = await request("/health/ready");
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: "unavailable",
      checks: { database: { status: "down" } },
    });
    expect((await request("/health/live")).status).toBe(200);
    expect(await (await rt.app.request("/metrics")).text()).toMatch(/^expense_db_up 0$/m);

    await proxy.restore();
    await waitFor(
      async () => (await request("/health/ready")).status === 200,
      10_000,
      "ready again",
    );
    expect((await post("after")).status).toBe(200);
    const list = await request("/transaction");
    expect(
      (list.body.result as Array<{ description: string }>).map((row) => row.description),
    ).toEqual(["before", "after"]);
  });
});

describe("MySQL black-holed (connections hang instead of failing)", () => {
  it("answers 503 within the query timeout, discards hung connections and recovers", async () => {
    const hole = await startTcpProxy(hostPort(inject("testDatabaseUrl"), 3306));
    const stuck = await createTestRuntime(
      testConfig(
        { ...db.config, host: "127.0.0.1", port: hole.port, poolSize: 2 },
        inject("testRedisUrl"),
      ),
      { databaseOptions: { queryTimeoutMs: 300, connectTimeoutMs: 300 } },
    );
    try {
      expect((await stuck.app.request("/transaction/999999")).status).toBe(404);
      hole.blackhole();
      // More requests than pool connections: each must still end in time, none may hang.
      const started = performance.now();
      const answers = await Promise.all(
        Array.from(
          { length: 4 },
          async (_, i) => (await stuck.app.request(`/transaction/${1_000 + i}`)).status,
        ),
      );
      expect(answers).toEqual([503, 503, 503, 503]);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect((await stuck.app.request("/health/ready")).status).toBe(503);

      await hole.restore();
      await waitFor(
        async () => (await stuck.app.request("/transaction/999999")).status === 404,
        5_000,
        "recovery",
      );
      expect((await stuck.app.request("/health/ready")).status).toBe(200);
    } finally {
      await stuck.close();
      await hole.close();
    }
  });
});
