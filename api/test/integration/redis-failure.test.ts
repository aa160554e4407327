/**
 * Redis trouble never fails a request: Redis cut off (connections refused), black-holed (packets
 * vanish, only timeouts tell), or killed and restarted. Requests keep succeeding from MySQL with
 * bounded latency, errors are counted, and caching resumes by itself without serving data cached
 * before a write that happened during the outage.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { startRedis, type ThrowawayServer } from "../harness/servers.js";
import { startTcpProxy, type TcpProxy } from "../harness/tcp-proxy.js";
import {
  createTestDatabase,
  createTestRuntime,
  hostPort,
  testConfig,
  waitFor,
  type TestDatabase,
} from "../harness/fixtures.js";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
});

afterAll(async () => {
  await db?.drop();
});

async function timedRequest(rt: Runtime, path: string, init?: RequestInit) {
  const started = performance.now();
  const res = await rt.app.request(path, init);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, ms: performance.now() - started };
}

const add = (rt: Runtime, desc: string) =>
  timedRequest(rt, "/transaction", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount: "2.00", desc }),
  });

const descriptions = (body: Record<string, unknown>) =>
  (body.result as Array<{ description: string }>).map((row) => row.description);

const total = async (rt: Runtime, metric: "cacheHits" | "cacheErrors") =>
  (await rt.metrics[metric].get()).values.reduce((sum, value) => sum + value.value, 0);

describe("Redis behind a proxy", () => {
  let proxy: TcpProxy;
  let rt: Runtime;

  beforeAll(async () => {
    proxy = await startTcpProxy(hostPort(inject("testRedisUrl"), 6379));
    const config = testConfig(db.config, `redis://127.0.0.1:${proxy.port}`);
    rt = await createTestRuntime(config);
  });

  afterAll(async () => {
    await rt?.close();
    await proxy?.close();
  });

  beforeEach(async () => {
    await proxy.restore();
    await waitFor(() => rt.cache.isUp(), 5_000, "redis up");
    await rt.app.request("/transaction", { method: "DELETE" });
  });

  it("serves from MySQL when Redis refuses connections, then resumes caching without stale data", async () => {
    await add(rt, "before");
    await timedRequest(rt, "/transaction");
    expect((await timedRequest(rt, "/transaction")).body).toEqual({
      result: [expect.objectContaining({ description: "before" })],
    });
    const errorsBefore = await total(rt, "cacheErrors");

    await proxy.cut();
    await waitFor(() => !rt.cache.isUp(), 2_000, "redis seen down");
    const during = [
      await add(rt, "during outage"),
      await timedRequest(rt, "/transaction"),
      await timedRequest(rt, "/transaction"),
    ];
    expect(during.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(descriptions(during[2]!.body)).toEqual(["before", "during outage"]);
    for (const { ms } of during) expect(ms).toBeLessThan(100);
    expect(await total(rt, "cacheErrors")).toBeGreaterThan(errorsBefore);

    const ready = await timedRequest(rt, "/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "degraded", checks: { redis: { status: "down" } } });
    const metrics = await (await rt.app.request("/metrics")).text();
    expect(metrics).toMatch(/^expense_redis_up 0$/m);

    // Redis comes back holding the list cached before the outage's write. It must not be served.
    await proxy.restore();
    await waitFor(() => rt.cache.isUp(), 5_000, "redis back");
    const hitsBefore = await total(rt, "cacheHits");
    await waitFor(
      async () => {
        const res = await timedRequest(rt, "/transaction");
        expect(descriptions(res.body)).toEqual(["before", "during outage"]);
        return (await total(rt, "cacheHits")) > hitsBefore;
      },
      5_000,
      "cache hits again",
    );
  });

  it("bounds the cost of a black-holed Redis to one command timeout, then skips it", async () => {
    await add(rt, "row");
    await timedRequest(rt, "/transaction");
    proxy.blackhole();
    const latencies: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const res = await timedRequest(rt, i % 2 ? "/transaction" : "/transaction/1");
      expect([200, 404]).toContain(res.status);
      latencies.push(res.ms);
    }
    // The first request waits for the 100 ms command timeout; the breaker spares the rest.
    expect(latencies[0]).toBeLessThan(400);
    expect(latencies.slice(1).every((ms) => ms < 50)).toBe(true);
    expect(await total(rt, "cacheErrors")).toBeGreaterThan(0);
  });
});

describe("Redis killed and restarted", () => {
  let redis: ThrowawayServer;
  let rt: Runtime;

  beforeAll(async () => {
    redis = await startRedis();
    rt = await createTestRuntime(testConfig(db.config, redis.url));
  });

  afterAll(async () => {
    await rt?.close();
    await redis?.stop();
  });

  it("keeps answering while Redis is dead and caches again once it is back", async () => {
    await rt.app.request("/transaction", { method: "DELETE" });
    await add(rt, "survivor");
    await timedRequest(rt, "/transaction");
    expect((await timedRequest(rt, "/transaction")).status).toBe(200);

    await redis.kill();
    await waitFor(() => !rt.cache.isUp(), 2_000, "redis seen down");
    for (let i = 0; i < 5; i += 1) {
      const res = await timedRequest(rt, "/transaction");
      expect(res.status).toBe(200);
      expect(descriptions(res.body)).toEqual(["survivor"]);
      expect(res.ms).toBeLessThan(100);
    }
    expect((await add(rt, "written while dead")).status).toBe(200);

    await redis.restart();
    await waitFor(() => rt.cache.isUp(), 5_000, "redis back");
    const hitsBefore = await total(rt, "cacheHits");
    await waitFor(
      async () => {
        const res = await timedRequest(rt, "/transaction");
        expect(descriptions(res.body)).toEqual(["survivor", "written while dead"]);
        return (await total(rt, "cacheHits")) > hitsBefore;
      },
      5_000,
      "cache hits again",
    );
  });
});
