import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  captureLogger,
  createTestDatabase,
  createTestRuntime,
  testConfig,
  type TestDatabase,
} from "../../test/harness/fixtures.js";
import type { Runtime } from "../runtime.js";
import { pickRequestId } from "./observe.js";

let db: TestDatabase;
let rt: Runtime;
const log = captureLogger();

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")), {
    logger: log.logger,
  });
});

afterAll(async () => {
  await rt?.close();
  await db?.drop();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("correlation id and access log", () => {
  it("accepts X-Request-Id, X-Correlation-Id, or generates a UUID", () => {
    expect(pickRequestId("abc-123", undefined)).toBe("abc-123");
    expect(pickRequestId(undefined, "corr.9")).toBe("corr.9");
    expect(pickRequestId("bad id\nforged", undefined)).toMatch(UUID);
    expect(pickRequestId("x".repeat(129), undefined)).toMatch(UUID);
  });

  it("echoes the id and logs one JSON line per request with route, status and duration", async () => {
    const res = await rt.app.request("/transaction", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Request-Id": "req-42" },
      body: JSON.stringify({ amount: "7.25", desc: "secret-desc-never-logged" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-42");

    const correlated = await rt.app.request("/transaction/abc", {
      headers: { "X-Correlation-Id": "corr-7" },
    });
    expect(correlated.headers.get("x-request-id")).toBe("corr-7");
    expect(correlated.headers.get("x-correlation-id")).toBe("corr-7");

    const generated = await rt.app.request("/health/live");
    expect(generated.headers.get("x-request-id")).toMatch(UUID);

    const lines = log.lines().filter((line) => line.message === "request");
    expect(lines.find((line) => line.requestId === "req-42")).toEqual({
      level: "info",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      pid: expect.any(Number),
      hostname: expect.any(String),
      message: "request",
      requestId: "req-42",
      method: "POST",
      route: "/transaction",
      path: "/transaction",
      status: 200,
      cache: "none",
      durationMs: expect.any(Number),
    });
    expect(lines.find((line) => line.requestId === "corr-7")).toMatchObject({
      route: "/transaction/:id",
      status: 400,
    });
    expect(log.raw()).not.toContain("secret-desc-never-logged");
  });

  it("logs neither bodies nor the password when MySQL rejects the credentials", async () => {
    const failing = captureLogger();
    const config = testConfig(
      { ...db.config, user: "nobody", password: "pw-must-not-leak" },
      inject("testRedisUrl"),
    );
    // Its pool can never warm up (every login is refused): do not wait for it.
    const broken = await createTestRuntime(config, { logger: failing.logger, waitForPool: false });
    try {
      const res = await broken.app.request("/transaction", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ amount: 1, desc: "body-never-logged" }),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        message: "database unavailable, try again shortly",
        error: { code: "database_unavailable" },
      });
      expect(failing.lines().map((line) => line.message)).toContain("database unavailable");
      expect(failing.raw()).not.toContain("pw-must-not-leak");
      expect(failing.raw()).not.toContain("body-never-logged");
    } finally {
      await broken.close();
    }
  });
});

describe("JSON everywhere", () => {
  it("answers unknown routes with a JSON 404 and no X-Powered-By", async () => {
    const res = await rt.app.request("/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      message: "no route for GET /nope",
      error: { code: "not_found" },
    });
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("answers CORS like the cors package's defaults", async () => {
    const res = await rt.app.request("/transaction", {
      headers: { Origin: "https://web.example.com" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const preflight = await rt.app.request("/transaction", {
      method: "OPTIONS",
      headers: {
        Origin: "https://web.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type");
  });

  it("restricts CORS to the configured origins", async () => {
    const config = testConfig(db.config, inject("testRedisUrl"), {
      corsOrigin: ["https://app.example.com"],
    });
    const strict = await createTestRuntime(config);
    try {
      const allowed = await strict.app.request("/health", {
        headers: { Origin: "https://app.example.com" },
      });
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
      expect(allowed.headers.get("vary")).toContain("Origin");
      const other = await strict.app.request("/health", {
        headers: { Origin: "https://evil.example.com" },
      });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await strict.close();
    }
  });
});
