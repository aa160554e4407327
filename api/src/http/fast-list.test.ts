/**
 * The Node fast path of `GET /transaction` (fast-list.ts) against real MariaDB and Redis, side by
 * side with the same app served through Hono (`fastPath: false`): same status, body and headers
 * (names, order and values), same access line and metrics, same answers to a MySQL outage, the
 * same CORS allow-list handling, and no list older than a write another replica answered.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  captureLogger,
  createTestDatabase,
  createTestRuntime,
  hostPort,
  listen,
  metricValue,
  testConfig,
  type Listening,
  type TestDatabase,
} from "../../test/harness/fixtures.js";
import { startTcpProxy, type TcpProxy } from "../../test/harness/tcp-proxy.js";
import type { Runtime } from "../runtime.js";

interface RawAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** A GET over real HTTP, keeping the raw header list (names, order, values). */
function get(
  server: Listening,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, server.url), { method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        const pairs: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode!, headers: pairs, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The answer without what differs between any two answers (Date, generated request ids). */
function comparable(answer: RawAnswer): RawAnswer {
  return {
    ...answer,
    headers: answer.headers
      .filter(([name]) => name !== "Date")
      .map(([name, value]) => [name, UUID.test(value) ? "<generated>" : value]),
  };
}

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
});

afterAll(async () => {
  await db?.drop();
});

const post = (server: Listening, amount: string, desc: string) =>
  fetch(`${server.url}/transaction`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount, desc }),
  }).then(async (res) => {
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: number }).id;
  });

describe("GET /transaction served by Node", () => {
  const capture = captureLogger();
  let rt: Runtime;
  let fast: Listening;
  let hono: Listening;

  beforeAll(async () => {
    rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")), {
      logger: capture.logger,
    });
    fast = await listen(rt.app);
    hono = await listen(rt.app, { fastPath: false });
  });

  afterAll(async () => {
    await fast?.close();
    await hono?.close();
    await rt?.close();
  });

  const cacheOf = (requestId: string) =>
    capture.lines().find((line) => line.message === "request" && line.requestId === requestId)
      ?.cache;

  it("answers misses and hits with Hono's status, body and headers, in order", async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { "X-Request-Id": "client-id-1" },
      { "X-Correlation-Id": "corr.id:2" },
      { "X-Request-Id": "not a valid id", "X-Correlation-Id": "also not valid" },
    ];
    let n = 0;
    for (const path of ["/transaction", "/transaction/"]) {
      for (const headers of variants) {
        n += 1;
        await post(fast, `${n}.50`, `row ${n}`);
        // The write retired the cached list: the fast path misses, then both hit.
        const tag = { "X-Request-Id": `probe-${n}` };
        const miss = await get(fast, path, { ...headers, ...tag });
        expect(cacheOf(`probe-${n}`)).toBe("miss");
        const viaHono = await get(hono, path, headers);
        const hit = await get(fast, path, headers);
        expect(comparable(hit)).toEqual(comparable(viaHono));
        expect(hit.status).toBe(200);
        expect(JSON.parse(hit.body)).toEqual(JSON.parse(miss.body));
        expect((JSON.parse(hit.body) as { result: unknown[] }).result).toHaveLength(n);
        expect(hit.headers.map(([name]) => name)).toEqual([
          "X-Request-Id",
          ...("X-Correlation-Id" in headers ? ["X-Correlation-Id"] : []),
          "Access-Control-Allow-Origin",
          "Access-Control-Expose-Headers",
          "Content-Type",
          "Content-Length",
          "Date",
          "Connection",
          "Keep-Alive",
        ]);
        expect(Number(hit.headers.find(([name]) => name === "Content-Length")![1])).toBe(
          Buffer.byteLength(hit.body),
        );
      }
    }
    // The client's id is echoed; an invalid one is replaced by a generated one, as in observe.ts.
    const echoed = await get(fast, "/transaction", { "X-Request-Id": "client-id-1" });
    expect(echoed.headers).toContainEqual(["X-Request-Id", "client-id-1"]);
    const replaced = await get(fast, "/transaction", { "X-Request-Id": "not a valid id" });
    expect(replaced.headers.find(([name]) => name === "X-Request-Id")![1]).toMatch(UUID);
  });

  it("writes Hono's access line and counts the request in the same series", async () => {
    const series = { method: "GET", route: "/transaction", status: "200" };
    const metrics = async () => (await (await rt.app.request("/metrics")).text()) as string;
    const before = await metrics();
    await get(hono, "/transaction", { "X-Request-Id": "line-hono" });
    await get(fast, "/transaction", { "X-Request-Id": "line-fast" });
    const after = await metrics();
    expect(metricValue(after, "http_requests_total", series)).toBe(
      metricValue(before, "http_requests_total", series)! + 2,
    );
    const hits = { ...series, cache: "hit" };
    expect(metricValue(after, "http_request_duration_seconds_count", hits)).toBe(
      (metricValue(before, "http_request_duration_seconds_count", hits) ?? 0) + 2,
    );
    const line = (id: string) => {
      const found = capture.lines().find((l) => l.message === "request" && l.requestId === id)!;
      const { timestamp, durationMs, requestId, ...rest } = found;
      expect(typeof timestamp).toBe("string");
      expect(typeof durationMs).toBe("number");
      expect(requestId).toBe(id);
      return rest;
    };
    expect(line("line-fast")).toEqual(line("line-hono"));
    expect(line("line-fast")).toMatchObject({ level: "info", path: "/transaction", cache: "hit" });
  });

  it("leaves other methods, query strings and rejected Host headers to Hono", async () => {
    await post(fast, "7.25", "paged");
    for (const [path, headers, method] of [
      ["/transaction?limit=2", {}, "GET"],
      ["/transaction", {}, "HEAD"],
      ["/transaction", {}, "OPTIONS"],
      ["/transaction", { Host: "bad host" }, "GET"],
      ["/transaction", { Host: "" }, "GET"],
    ] as const) {
      const viaFast = await get(fast, path, headers, method);
      const viaHono = await get(hono, path, headers, method);
      expect(comparable(viaFast)).toEqual(comparable(viaHono));
    }
    const badHost = await get(fast, "/transaction", { Host: "bad host" });
    expect(badHost.status).toBe(400);
    expect(JSON.parse(badHost.body)).toMatchObject({ error: { code: "bad_request" } });
  });
});

describe("GET /transaction served by Node, across replicas", () => {
  let a: Runtime;
  let b: Runtime;
  let serverA: Listening;
  let serverB: Listening;

  beforeAll(async () => {
    // Two replicas: the same database and the same Redis keys.
    const keyPrefix = `test:fast:${Date.now()}:`;
    a = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")), { keyPrefix });
    b = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")), { keyPrefix });
    serverA = await listen(a.app);
    serverB = await listen(b.app);
  });

  afterAll(async () => {
    await serverA?.close();
    await serverB?.close();
    await a?.close();
    await b?.close();
  });

  it("never answers a list older than a write the other replica answered", async () => {
    const ids = (answer: RawAnswer) =>
      (JSON.parse(answer.body) as { result: Array<{ id: number }> }).result.map((row) => row.id);
    for (let round = 0; round < 10; round += 1) {
      // Warm both replicas' view of the cache, then write on one and read on the other.
      await Promise.all([get(serverA, "/transaction"), get(serverB, "/transaction")]);
      const id = await post(serverA, "1.00", `round ${round}`);
      const reads = await Promise.all(
        Array.from({ length: 5 }, () => get(serverB, "/transaction")),
      );
      for (const read of reads) expect(ids(read)).toContain(id);
      const deleted = await fetch(`${serverB.url}/transaction/${id}`, { method: "DELETE" });
      expect(deleted.status).toBe(200);
      expect(ids(await get(serverA, "/transaction"))).not.toContain(id);
    }
  });
});

describe("GET /transaction served by Node, with a CORS allow-list", () => {
  let rt: Runtime;
  let fast: Listening;
  let hono: Listening;

  beforeAll(async () => {
    rt = await createTestRuntime(
      testConfig(db.config, inject("testRedisUrl"), { corsOrigin: ["https://app.example"] }),
    );
    fast = await listen(rt.app);
    hono = await listen(rt.app, { fastPath: false });
  });

  afterAll(async () => {
    await fast?.close();
    await hono?.close();
    await rt?.close();
  });

  it("allows listed origins only, and varies on Origin, like the Hono route", async () => {
    await get(hono, "/transaction");
    const origins: Array<Record<string, string>> = [
      { Origin: "https://app.example" },
      { Origin: "https://evil.example" },
      {},
    ];
    for (const headers of origins) {
      const viaFast = await get(fast, "/transaction", headers);
      const viaHono = await get(hono, "/transaction", headers);
      expect(comparable(viaFast)).toEqual(comparable(viaHono));
      expect(viaFast.headers).toContainEqual(["Vary", "Origin"]);
    }
    const allowed = await get(fast, "/transaction", { Origin: "https://app.example" });
    expect(allowed.headers).toContainEqual(["Access-Control-Allow-Origin", "https://app.example"]);
    const refused = await get(fast, "/transaction", { Origin: "https://evil.example" });
    expect(refused.headers.map(([name]) => name)).not.toContain("Access-Control-Allow-Origin");
  });
});

describe("GET /transaction served by Node, while MySQL is down", () => {
  let proxy: TcpProxy;
  let rt: Runtime;
  let fast: Listening;
  let hono: Listening;

  beforeAll(async () => {
    proxy = await startTcpProxy(hostPort(inject("testDatabaseUrl"), 3306));
    rt = await createTestRuntime(
      testConfig(
        { ...db.config, host: "127.0.0.1", port: proxy.port, poolSize: 2 },
        inject("testRedisUrl"),
      ),
      { databaseOptions: { queryTimeoutMs: 300, connectTimeoutMs: 300 } },
    );
    fast = await listen(rt.app);
    hono = await listen(rt.app, { fastPath: false });
  });

  afterAll(async () => {
    await fast?.close();
    await hono?.close();
    await rt?.close();
    await proxy?.close();
  });

  it("answers a miss Hono's 503 and counts it as Hono does, then serves again", async () => {
    await proxy.cut();
    // This runtime's key prefix is its own and nothing was read yet: every read misses.
    const metrics = async () => (await (await rt.app.request("/metrics")).text()) as string;
    const unavailable = { method: "GET", route: "/transaction", status: "503", cache: "none" };
    const before =
      metricValue(await metrics(), "http_request_duration_seconds_count", unavailable) ?? 0;
    const viaHono = await get(hono, "/transaction", { "X-Request-Id": "down-1" });
    const viaFast = await get(fast, "/transaction", { "X-Request-Id": "down-1" });
    expect(viaFast.status).toBe(503);
    expect(viaFast.headers).toContainEqual(["retry-after", "5"]);
    expect(JSON.parse(viaFast.body)).toMatchObject({ error: { code: "database_unavailable" } });
    expect(comparable(viaFast)).toEqual(comparable(viaHono));
    expect(metricValue(await metrics(), "http_request_duration_seconds_count", unavailable)).toBe(
      before + 2,
    );
    await proxy.restore();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i += 1) {
      status = (await get(fast, "/transaction")).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
