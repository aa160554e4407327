import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  createTestDatabase,
  createTestRuntime,
  testConfig,
  type TestDatabase,
} from "../../test/harness/fixtures.js";
import type { Runtime } from "../runtime.js";

let db: TestDatabase;
let rt: Runtime;
let draining = false;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"), { migrate: false });
  rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")), {
    isDraining: () => draining,
  });
});

afterAll(async () => {
  await rt?.close();
  await db?.drop();
});

describe("health routes", () => {
  it("keeps the original's /health body, a JSON string", async () => {
    const res = await rt.app.request("/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe('"This is the health check"');
  });

  it("answers /health/live without touching dependencies", async () => {
    expect(await (await rt.app.request("/health/live")).json()).toEqual({ status: "ok" });
  });

  it("reports each dependency on /health/ready", async () => {
    const res = await rt.app.request("/health/ready");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ok",
      checks: {
        database: { status: "up", latencyMs: expect.any(Number) },
        redis: { status: "up", latencyMs: expect.any(Number) },
      },
    });
  });

  it("fails readiness while draining for shutdown", async () => {
    draining = true;
    try {
      const res = await rt.app.request("/health/ready");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "draining" });
    } finally {
      draining = false;
    }
  });
});
