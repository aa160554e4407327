import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import {
  createTestDatabase,
  createTestRuntime,
  testConfig,
  type TestDatabase,
} from "../../test/harness/fixtures.js";
import type { Runtime } from "../runtime.js";

let db: TestDatabase;
let rt: Runtime;

const json = (body: unknown, method = "POST"): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

const call = async (path: string, init?: RequestInit) => {
  const res = await rt.app.request(path, init);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: JSON.parse(text) as Record<string, unknown>,
  };
};

const rowCount = async (): Promise<number> =>
  (await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM transactions"))[0]!.n;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")));
});

afterAll(async () => {
  await rt?.close();
  await db?.drop();
});

// Through the API, so the cache generations move with the table.
beforeEach(async () => {
  expect((await call("/transaction", { method: "DELETE" })).status).toBe(200);
});

describe("contract routes", () => {
  it("lists an empty table as {result: []}", async () => {
    const res = await call("/transaction");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body).toEqual({ result: [] });
  });

  it("adds JSON and form-encoded transactions and lists them in id order with numeric amounts", async () => {
    const first = await call("/transaction", json({ amount: "400.00", desc: "groceries" }));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ message: "added transaction successfully" });
    const form = await call("/transaction", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "amount=12.50&desc=lunch+break",
    });
    expect(form.status).toBe(200);
    await call("/transaction", json({ amount: 3 }));

    const list = await call("/transaction");
    expect(list.body).toEqual({
      result: [
        { id: first.body.id, amount: 400, description: "groceries" },
        { id: form.body.id, amount: 12.5, description: "lunch break" },
        { id: expect.any(Number), amount: 3, description: "" },
      ],
    });
    expect(list.text).toContain('"amount":400,');
  });

  it("deletes everything with DELETE /transaction", async () => {
    await call("/transaction", json({ amount: 1, desc: "a" }));
    const res = await call("/transaction", { method: "DELETE" });
    expect(res.body).toEqual({ message: "delete function execution finished." });
    expect((await call("/transaction")).body).toEqual({ result: [] });
  });

  it("reads and deletes by id on the legacy /transaction/id routes (body or query)", async () => {
    const { body } = await call("/transaction", json({ amount: "9.99", desc: "legacy" }));
    const id = body.id as number;
    // app.request cannot send a GET body (Fetch forbids it); the HTTP test covers that form.
    const got = await call(`/transaction/id?id=${id}`);
    expect(got.body).toEqual({ id, amount: 9.99, description: "legacy" });
    const deleted = await call("/transaction/id", json({ id }, "DELETE"));
    expect(deleted.body).toEqual({ message: `transaction with id ${id} seemingly deleted` });
    expect((await call(`/transaction/id?id=${id}`)).status).toBe(404);
  });

  it("reads and deletes by id on /transaction/:id", async () => {
    const { body } = await call("/transaction", json({ amount: 5, desc: "rest" }));
    const id = body.id as number;
    expect((await call(`/transaction/${id}`)).body).toEqual({ id, amount: 5, description: "rest" });
    expect((await call(`/transaction/${id}`, { method: "DELETE" })).body).toEqual({
      message: `transaction with id ${id} deleted`,
    });
    const gone = await call(`/transaction/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      message: `transaction with id ${id} not found`,
      error: { code: "not_found", field: "id" },
    });
    expect((await call(`/transaction/${id}`, { method: "DELETE" })).status).toBe(404);
    expect((await call("/transaction/id", json({ id }, "DELETE"))).status).toBe(404);
  });

  it("tolerates trailing slashes like Express", async () => {
    await call("/transaction/", json({ amount: 1 }));
    expect(((await call("/transaction/")).body.result as unknown[]).length).toBe(1);
    expect((await call("/health/")).body).toBe("This is the health check");
  });

  it("answers HEAD like GET, without a body", async () => {
    const res = await rt.app.request("/transaction", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("answers 405 with Allow for a known path and an unsupported method", async () => {
    const res = await call("/transaction", { method: "PUT" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST, DELETE, OPTIONS");
    expect(res.body.error).toEqual({ code: "method_not_allowed" });
  });
});

describe("input validation: 400 naming the field, nothing written", () => {
  const cases: Array<[string, unknown, string]> = [
    ["missing amount", { desc: "x" }, "amount"],
    ["blank amount (web client's empty input)", { amount: "", desc: "" }, "amount"],
    ["non-numeric amount", { amount: "abc", desc: "x" }, "amount"],
    ["amount with 3 decimals", { amount: "12.345" }, "amount"],
    ["amount beyond DECIMAL(10,2)", { amount: 100_000_000 }, "amount"],
    ["amount in exponent form", { amount: "1e3" }, "amount"],
    ["boolean amount", { amount: true }, "amount"],
    ["array amount", { amount: [1] }, "amount"],
    ["null amount", { amount: null }, "amount"],
    ["numeric desc", { amount: 1, desc: 5 }, "desc"],
    ["null desc", { amount: 1, desc: null }, "desc"],
    ["desc over 100 characters", { amount: 1, desc: "x".repeat(101) }, "desc"],
  ];
  it.each(cases)("%s", async (_name, body, field) => {
    const res = await call("/transaction", json(body));
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_field", field });
    expect(res.body.message).toMatch(new RegExp(`^${field} `));
    expect(await rowCount()).toBe(0);
  });

  it("accepts exactly 100 characters, counting an emoji as one", async () => {
    expect((await call("/transaction", json({ amount: 1, desc: "€".repeat(100) }))).status).toBe(
      200,
    );
    expect((await call("/transaction", json({ amount: 1, desc: "😀".repeat(100) }))).status).toBe(
      200,
    );
    expect(await rowCount()).toBe(2);
  });

  it("rejects malformed JSON, non-object JSON, unknown content types and oversize bodies", async () => {
    const malformed = await call("/transaction", json('{"amount": 1,'));
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      message: "request body is not valid JSON",
      error: { code: "malformed_json" },
    });
    expect((await call("/transaction", json("[1,2]"))).body.error).toEqual({
      code: "invalid_body",
    });
    const xml = await call("/transaction", {
      method: "POST",
      headers: { "Content-Type": "text/xml" },
      body: "<a/>",
    });
    expect(xml.status).toBe(415);
    const big = await call("/transaction", json({ amount: 1, desc: "x".repeat(20_000) }));
    expect(big.status).toBe(413);
    expect(big.body.error).toEqual({ code: "body_too_large" });
    expect(await rowCount()).toBe(0);
  });

  it.each([
    ["/transaction/abc", 400],
    ["/transaction/0", 400],
    ["/transaction/-1", 400],
    ["/transaction/1.5", 400],
    ["/transaction/2147483648", 400],
    ["/transaction/2147483647", 404],
  ])("GET %s -> %i", async (path, status) => {
    const res = await call(path);
    expect(res.status).toBe(status);
    if (status === 400) expect(res.body.error).toEqual({ code: "invalid_field", field: "id" });
  });

  it("rejects the original's injection through the legacy delete and keeps the table", async () => {
    await call("/transaction", json({ amount: 1, desc: "keep me" }));
    const res = await call("/transaction/id", json({ id: "0 OR 1=1" }, "DELETE"));
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_field", field: "id" });
    expect((await call("/transaction/id", { method: "DELETE" })).body.message).toBe(
      "id is required",
    );
    expect(await rowCount()).toBe(1);
  });

  it("stores SQL-looking descriptions literally, one row each", async () => {
    const nasty = [
      "a'),('2','injected",
      "x'; DROP TABLE transactions; --",
      'quote " and \\ backslash',
    ];
    for (const desc of nasty)
      expect((await call("/transaction", json({ amount: "1.00", desc }))).status).toBe(200);
    const list = await call("/transaction");
    expect(
      (list.body.result as Array<{ description: string }>).map((row) => row.description),
    ).toEqual(nasty);
    expect(await rowCount()).toBe(3);
  });
});

describe("caching per write type", () => {
  const outcome = async (path: string) => {
    const count = async (metric: "cacheHits" | "cacheMisses") =>
      (await rt.metrics[metric].get()).values.reduce((sum, value) => sum + value.value, 0);
    const [hits, misses] = [await count("cacheHits"), await count("cacheMisses")];
    const res = await call(path);
    const cache =
      (await count("cacheHits")) > hits
        ? "hit"
        : (await count("cacheMisses")) > misses
          ? "miss"
          : "none";
    return { status: res.status, body: res.body, cache };
  };
  const add = async (desc: string) =>
    (await call("/transaction", json({ amount: 1, desc }))).body.id as number;

  it("serves repeated reads from Redis", async () => {
    const id = await add("cached");
    expect((await outcome("/transaction")).cache).toBe("miss");
    expect((await outcome("/transaction")).cache).toBe("hit");
    expect((await outcome(`/transaction/${id}`)).cache).toBe("miss");
    expect((await outcome(`/transaction/${id}`)).cache).toBe("hit");
  });

  it("retires the list on POST, keeping cached rows", async () => {
    const first = await add("first");
    await outcome("/transaction");
    await outcome(`/transaction/${first}`);
    await add("second");
    const list = await outcome("/transaction");
    expect(list.cache).toBe("miss");
    expect((list.body.result as unknown[]).length).toBe(2);
    expect((await outcome(`/transaction/${first}`)).cache).toBe("hit");
  });

  it.each([
    ["DELETE /transaction/:id", (id: number) => call(`/transaction/${id}`, { method: "DELETE" })],
    ["DELETE /transaction/id", (id: number) => call("/transaction/id", json({ id }, "DELETE"))],
    ["DELETE /transaction", () => call("/transaction", { method: "DELETE" })],
  ])("retires the list and the rows on %s", async (_name, remove) => {
    const id = await add("doomed");
    await outcome("/transaction");
    expect((await outcome(`/transaction/${id}`)).cache).toBe("miss");
    expect((await outcome(`/transaction/${id}`)).cache).toBe("hit");
    expect((await remove(id)).status).toBe(200);
    const row = await outcome(`/transaction/${id}`);
    expect(row).toMatchObject({ status: 404, cache: "miss" });
    const list = await outcome("/transaction");
    expect(list.cache).toBe("miss");
    expect(list.body.result).toEqual([]);
  });
});
