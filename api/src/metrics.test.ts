import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  createTestDatabase,
  createTestRuntime,
  metricValue,
  testConfig,
  type TestDatabase,
} from "../test/harness/fixtures.js";
import { createMetrics, REQUEST_DURATION_BUCKETS } from "./metrics.js";
import type { Runtime } from "./runtime.js";
import { SLO_P95_SECONDS } from "./slo.js";

let db: TestDatabase;
let rt: Runtime;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")));
});

afterAll(async () => {
  await rt?.close();
  await db?.drop();
});

const post = (body: unknown) =>
  rt.app.request("/transaction", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("metrics", () => {
  it("has buckets at every SLO threshold", () => {
    for (const seconds of Object.values(SLO_P95_SECONDS))
      expect(REQUEST_DURATION_BUCKETS).toContain(seconds);
  });

  it("gives every app its own registry", () => {
    expect(createMetrics().registry).not.toBe(createMetrics().registry);
  });

  it("exposes every metric with route templates, cache outcomes and bounded labels", async () => {
    const { id } = (await (await post({ amount: "12.50", desc: "lunch" })).json()) as {
      id: number;
    };
    await rt.app.request("/transaction");
    await rt.app.request("/transaction");
    await rt.app.request(`/transaction/${id}`);
    await rt.app.request(`/transaction/${id}`, { method: "DELETE" });
    await rt.app.request("/transaction/999999");
    await rt.app.request("/no/such/path/12345");
    await rt.app.request("/transaction", { method: "OPTIONS" });

    const res = await rt.app.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    const hist = "http_request_duration_seconds_count";
    expect(
      metricValue(text, hist, {
        method: "GET",
        route: "/transaction",
        status: "200",
        cache: "miss",
      }),
    ).toBe(1);
    expect(
      metricValue(text, hist, {
        method: "GET",
        route: "/transaction",
        status: "200",
        cache: "hit",
      }),
    ).toBe(1);
    expect(
      metricValue(text, hist, {
        method: "POST",
        route: "/transaction",
        status: "200",
        cache: "none",
      }),
    ).toBe(1);
    expect(
      metricValue(text, hist, {
        method: "GET",
        route: "/transaction/:id",
        status: "200",
        cache: "miss",
      }),
    ).toBe(1);
    expect(
      metricValue(text, hist, {
        method: "GET",
        route: "/transaction/:id",
        status: "404",
        cache: "miss",
      }),
    ).toBe(1);
    expect(
      metricValue(text, hist, {
        method: "DELETE",
        route: "/transaction/:id",
        status: "200",
        cache: "none",
      }),
    ).toBe(1);
    expect(
      metricValue(text, hist, { method: "GET", route: "unmatched", status: "404", cache: "none" }),
    ).toBe(1);
    expect(
      metricValue(text, hist, {
        method: "OPTIONS",
        route: "/transaction",
        status: "204",
        cache: "none",
      }),
    ).toBe(1);
    expect(
      metricValue(text, "http_request_duration_seconds_bucket", {
        le: "0.05",
        route: "/transaction",
        cache: "hit",
      }),
    ).toBe(1);
    expect(
      metricValue(text, "http_requests_total", {
        method: "GET",
        route: "/transaction",
        status: "200",
      }),
    ).toBe(2);
    // Ids and raw paths never become label values.
    expect(text).not.toMatch(new RegExp(`route="[^"]*(${id}|999999|12345)`));

    expect(metricValue(text, "expense_transactions_created_total")).toBe(1);
    expect(metricValue(text, "expense_transactions_deleted_total")).toBe(1);
    expect(metricValue(text, "expense_transaction_amount_sum")).toBe(12.5);
    expect(metricValue(text, "expense_transaction_amount_count")).toBe(1);
    expect(metricValue(text, "expense_cache_hits_total", { operation: "list" })).toBe(1);
    expect(metricValue(text, "expense_cache_misses_total", { operation: "list" })).toBe(1);
    expect(metricValue(text, "expense_cache_misses_total", { operation: "get_by_id" })).toBe(2);
    expect(text).toContain("# TYPE expense_cache_errors_total counter");
    for (const operation of ["list", "get_by_id", "insert", "delete_by_id"]) {
      expect(
        metricValue(text, "expense_db_query_duration_seconds_count", { operation }),
      ).toBeGreaterThan(0);
    }
    expect(metricValue(text, "expense_redis_up")).toBe(1);
    expect(metricValue(text, "expense_db_up")).toBe(1);
    for (const state of ["all", "in_use", "free", "queued"]) {
      expect(metricValue(text, "expense_db_pool_connections", { state })).toBeGreaterThanOrEqual(0);
    }
    expect(metricValue(text, "expense_db_pool_connections", { state: "all" })).toBeGreaterThan(0);
    expect(text).toContain("process_cpu_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });
});
