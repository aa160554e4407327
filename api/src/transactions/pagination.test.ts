/**
 * Keyset pagination of GET /transaction (`?limit=&after=`): pages in id order with a `next`
 * cursor, a bounded limit, their own cache entries, and the same consistency as the full list:
 * after a write's response, no replica serves a page from before it. Plain GET /transaction keeps
 * the original body.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import {
  createTestDatabase,
  createTestRuntime,
  testConfig,
  type TestDatabase,
} from "../../test/harness/fixtures.js";
import type { Runtime } from "../runtime.js";
import { MAX_PAGE_LIMIT } from "./validation.js";

interface Page {
  result: Array<{ id: number; amount: number; description: string }>;
  next: string | null;
}

let db: TestDatabase;
// Two replicas on one database and one Redis key space, as two pods behind the load balancer.
let a: Runtime;
let b: Runtime;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  const keyPrefix = `test:${randomBytes(6).toString("hex")}:`;
  const config = testConfig(db.config, inject("testRedisUrl"));
  a = await createTestRuntime(config, { keyPrefix });
  b = await createTestRuntime(config, { keyPrefix });
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await db?.drop();
});

beforeEach(async () => {
  await a.app.request("/transaction", { method: "DELETE" });
});

const get = async (rt: Runtime, path: string) => {
  const res = await rt.app.request(path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const page = async (rt: Runtime, query: string): Promise<Page> => {
  const res = await get(rt, `/transaction?${query}`);
  expect(res.status).toBe(200);
  return res.body as unknown as Page;
};

const add = async (rt: Runtime, desc: string): Promise<number> => {
  const res = await rt.app.request("/transaction", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount: "1.50", desc }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
};

const seed = async (count: number): Promise<number[]> => {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) ids.push(await add(a, `row ${i}`));
  return ids;
};

const pageHits = async (rt: Runtime) =>
  (await rt.metrics.cacheHits.get()).values.find((v) => v.labels.operation === "page")?.value ?? 0;

describe("GET /transaction?limit=&after=", () => {
  it("walks the table in id order with next cursors, ending with next: null", async () => {
    const ids = await seed(7);
    const seen: number[] = [];
    let cursor = "";
    let pages = 0;
    for (;;) {
      const body = await page(a, `limit=3${cursor ? `&after=${cursor}` : ""}`);
      pages += 1;
      seen.push(...body.result.map((row) => row.id));
      expect(body.result.length).toBeLessThanOrEqual(3);
      if (body.next === null) break;
      expect(body.next).toBe(String(body.result.at(-1)!.id));
      cursor = body.next;
    }
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    expect((await page(a, "limit=3&after=0")).result[0]).toEqual({
      id: ids[0],
      amount: 1.5,
      description: "row 0",
    });
  });

  it("says next: null when the last page is exactly full, and [] past the end", async () => {
    const ids = await seed(4);
    expect((await page(a, "limit=4")).next).toBeNull();
    expect(await page(a, `limit=2&after=${ids[1]}`)).toMatchObject({ next: null });
    expect(await page(a, `after=${ids[3]}`)).toEqual({ result: [], next: null });
  });

  it("defaults limit to 100 when only after is given", async () => {
    await seed(2);
    expect((await page(a, "after=0")).result).toHaveLength(2);
  });

  it("keeps the original body for plain GET /transaction", async () => {
    await seed(2);
    const res = await get(a, "/transaction");
    expect(Object.keys(res.body)).toEqual(["result"]);
    expect(res.body.result).toHaveLength(2);
  });

  it.each([
    ["limit=0", "limit"],
    [`limit=${MAX_PAGE_LIMIT + 1}`, "limit"],
    ["limit=abc", "limit"],
    ["limit=-1", "limit"],
    ["limit=", "limit"],
    ["limit=1.5", "limit"],
    ["after=-1", "after"],
    ["after=x", "after"],
    ["after=2147483648", "after"],
  ])("refuses ?%s with 400 naming %s", async (query, field) => {
    const res = await get(a, `/transaction?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_field", field });
    expect(res.body.message).toMatch(new RegExp(`^${field} `));
  });

  it("accepts the largest limit", async () => {
    await seed(1);
    expect((await page(a, `limit=${MAX_PAGE_LIMIT}`)).result).toHaveLength(1);
  });

  it("caches each page under its own key and serves it from Redis", async () => {
    await seed(3);
    const before = await pageHits(a);
    const first = await page(a, "limit=2");
    expect(await page(a, "limit=2")).toEqual(first);
    expect(await pageHits(a)).toBe(before + 1);
    // A different page (and the full list) is a different entry, not this one.
    expect((await page(a, `limit=2&after=${first.next}`)).result).toHaveLength(1);
    expect(await pageHits(a)).toBe(before + 1);
  });

  it("never serves a page from before a write, on either replica", async () => {
    const ids = await seed(3);
    // Both replicas have the pages cached.
    for (const rt of [a, b]) {
      await page(rt, "limit=10");
      await page(rt, `limit=2&after=${ids[0]}`);
      expect((await page(rt, "limit=10")).result).toHaveLength(3);
    }
    const added = await add(b, "written on b");
    for (const rt of [a, b]) {
      expect((await page(rt, "limit=10")).result.map((row) => row.id)).toEqual([...ids, added]);
      expect((await page(rt, `limit=2&after=${ids[1]}`)).result.map((row) => row.id)).toEqual([
        ids[2],
        added,
      ]);
    }
    const removed = await a.app.request(`/transaction/${ids[1]}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    for (const rt of [b, a]) {
      expect((await page(rt, "limit=10")).result.map((row) => row.id)).toEqual([
        ids[0],
        ids[2],
        added,
      ]);
    }
    expect((await a.app.request("/transaction", { method: "DELETE" })).status).toBe(200);
    for (const rt of [a, b]) expect(await page(rt, "limit=10")).toEqual({ result: [], next: null });
  });
});
