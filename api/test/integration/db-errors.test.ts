/**
 * expense_db_errors_total{operation, reason} moves during MySQL outages: refused connections
 * (MySQL down) count as connection_refused, statements that hang past the query timeout as
 * timeout. MySQL sits behind proxies this file cuts, so other test files keep their server.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import {
  createTestDatabase,
  createTestRuntime,
  hostPort,
  metricValue,
  testConfig,
  waitFor,
  type TestDatabase,
} from "../harness/fixtures.js";
import { startTcpProxy, type TcpProxy } from "../harness/tcp-proxy.js";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
});

afterAll(async () => {
  await db?.drop();
});

const post = (rt: Runtime) =>
  rt.app.request("/transaction", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount: "3.00", desc: "outage" }),
  });

const errors = async (rt: Runtime, operation: string, reason: string) =>
  metricValue(await (await rt.app.request("/metrics")).text(), "expense_db_errors_total", {
    operation,
    reason,
  });

describe("expense_db_errors_total", () => {
  let proxy: TcpProxy;
  let rt: Runtime;

  beforeAll(async () => {
    proxy = await startTcpProxy(hostPort(inject("testDatabaseUrl"), 3306));
    rt = await createTestRuntime(
      testConfig(
        { ...db.config, host: "127.0.0.1", port: proxy.port, poolSize: 2 },
        inject("testRedisUrl"),
      ),
      { databaseOptions: { queryTimeoutMs: 300, connectTimeoutMs: 300 } },
    );
  });

  afterAll(async () => {
    await rt?.close();
    await proxy?.close();
  });

  it("exposes every operation and reason at 0 before anything failed", async () => {
    for (const operation of ["list", "page", "get_by_id", "insert", "delete_by_id", "delete_all"]) {
      for (const reason of ["timeout", "connection_refused", "other"]) {
        expect(await errors(rt, operation, reason)).toBe(0);
      }
    }
  });

  it("counts refused connections while MySQL is down, and nothing once it is back", async () => {
    expect((await post(rt)).status).toBe(200);
    await proxy.cut();
    // The first POST may meet a pooled connection the cut reset ("other"); the next ones need
    // a new connection and are refused.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post(rt)).status);
    expect(statuses).toEqual([503, 503, 503, 503]);
    expect(await errors(rt, "insert", "connection_refused")).toBeGreaterThanOrEqual(2);
    expect((await rt.app.request("/transaction/12345")).status).toBe(503);
    expect(await errors(rt, "get_by_id", "connection_refused")).toBe(1);

    await proxy.restore();
    await waitFor(async () => (await post(rt)).status === 200, 10_000, "MySQL back");
    const after = await errors(rt, "insert", "connection_refused");
    expect((await post(rt)).status).toBe(200);
    expect(await errors(rt, "insert", "connection_refused")).toBe(after);
  });

  it("counts statements that hang past the query timeout as timeout", async () => {
    expect((await post(rt)).status).toBe(200);
    const before = (await errors(rt, "insert", "timeout"))!;
    proxy.blackhole();
    try {
      expect((await post(rt)).status).toBe(503);
      expect((await post(rt)).status).toBe(503);
      expect(await errors(rt, "insert", "timeout")).toBe(before + 2);
    } finally {
      await proxy.restore();
    }
    await waitFor(async () => (await post(rt)).status === 200, 10_000, "MySQL back");
  });
});
