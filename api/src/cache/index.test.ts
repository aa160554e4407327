import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { hostPort } from "../../test/harness/fixtures.js";
import { createLogger } from "../logger.js";
import { createMetrics, type Metrics } from "../metrics.js";
import { TransactionCache } from "./index.js";
import { createRedis } from "./redis.js";
import { SingleFlight } from "./single-flight.js";

let redis: Redis;
let inspect: Redis;
let metrics: Metrics;
let cache: TransactionCache;
let prefix = "";
let run = 0;

/** A promise plus its resolver, to hold a loader mid-query. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const counter = async (name: "cacheHits" | "cacheMisses" | "cacheErrors", operation: string) =>
  (await metrics[name].get()).values.find((v) => v.labels.operation === operation)?.value ?? 0;

beforeAll(async () => {
  const target = hostPort(inject("testRedisUrl"), 6379);
  redis = createRedis({ ...target, password: undefined, tls: false });
  inspect = new Redis(target.port, target.host);
  await new Promise<void>((resolve) => redis.once("ready", () => resolve()));
});

afterAll(async () => {
  await redis.quit();
  await inspect.quit();
});

beforeEach(() => {
  prefix = `test:cache:${process.pid}:${++run}:`;
  metrics = createMetrics({ defaultMetrics: false });
  cache = new TransactionCache({
    redis,
    ttlSeconds: 30,
    metrics,
    logger: createLogger({ level: "silent" }),
    keyPrefix: prefix,
  });
});

describe("TransactionCache", () => {
  it("misses, stores with the TTL, then hits", async () => {
    let loads = 0;
    const load = async () => `{"result":[${++loads}]}`;
    expect(await cache.readList(load)).toEqual({ body: '{"result":[1]}', cache: "miss" });
    expect(await cache.readList(load)).toEqual({ body: '{"result":[1]}', cache: "hit" });
    expect(loads).toBe(1);
    expect(await counter("cacheMisses", "list")).toBe(1);
    expect(await counter("cacheHits", "list")).toBe(1);
    const [key] = await inspect.keys(`${prefix}list:*`);
    const ttl = await inspect.ttl(key!);
    expect(ttl).toBeGreaterThan(25);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it("does not cache an unknown id", async () => {
    let loads = 0;
    const load = async () => (loads++, null);
    expect(await cache.readById(7, load)).toEqual({ body: null, cache: "miss" });
    expect(await cache.readById(7, load)).toEqual({ body: null, cache: "miss" });
    expect(loads).toBe(2);
  });

  it("retires lists on insert, and lists and rows on delete", async () => {
    let version = 0;
    const list = () => cache.readList(async () => `list-${version}`);
    const row = () => cache.readById(1, async () => `row-${version}`);
    await list();
    await row();
    version = 1;
    await cache.afterInsert();
    expect(await list()).toEqual({ body: "list-1", cache: "miss" });
    expect(await row()).toEqual({ body: "row-0", cache: "hit" });
    version = 2;
    await cache.afterDelete();
    expect(await list()).toEqual({ body: "list-2", cache: "miss" });
    expect(await row()).toEqual({ body: "row-2", cache: "miss" });
  });

  it("never lets a slow miss from before a write repopulate stale data after it", async () => {
    let table = "old";
    const slow = gate();
    const queried = gate();
    // A reader misses, reads "old" from the database, then stalls before writing to Redis.
    const stalled = cache.readList(async () => {
      const seen = table;
      queried.open();
      await slow.promise;
      return seen;
    });
    await queried.promise;
    // Meanwhile a write commits and invalidates, and its client reads again.
    table = "new";
    await cache.afterInsert();
    expect(await cache.readList(async () => table)).toEqual({ body: "new", cache: "miss" });
    // The stalled reader finally stores "old" -- under the generation nobody reads any more.
    slow.open();
    expect(await stalled).toEqual({ body: "old", cache: "miss" });
    expect(await cache.readList(async () => "database not consulted")).toEqual({
      body: "new",
      cache: "hit",
    });
  });

  it("runs one load for concurrent misses of the same key (single-flight)", async () => {
    let loads = 0;
    const release = gate();
    const load = async () => {
      loads += 1;
      await release.promise;
      return "body";
    };
    const reads = Array.from({ length: 25 }, () => cache.readById(3, load));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release.open();
    const results = await Promise.all(reads);
    expect(loads).toBe(1);
    expect(results.every((result) => result.body === "body" && result.cache === "miss")).toBe(true);
  });

  it("does not share a load begun before a write with reads begun after it", async () => {
    const release = gate();
    let loads = 0;
    const before = cache.readList(async () => (loads++, await release.promise, "before"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.afterInsert();
    const after = cache.readList(async () => (loads++, "after"));
    expect((await after).body).toBe("after");
    release.open();
    expect((await before).body).toBe("before");
    expect(loads).toBe(2);
  });

  it("restarts a lost generation from the clock, never from a value old entries still use", async () => {
    await cache.readList(async () => "stale");
    // Eviction or FLUSH of the counter alone: entries of the old generation are still there.
    await inspect.del(`${prefix}gen:list`);
    expect(await cache.readList(async () => "fresh")).toEqual({ body: "fresh", cache: "miss" });
    await inspect.del(`${prefix}gen:list`);
    await cache.afterInsert();
    const generation = Number(await inspect.get(`${prefix}gen:list`));
    expect(generation).toBeGreaterThan(Date.now() * 1000 - 60_000_000);
  });
});

describe("SingleFlight", () => {
  it("shares a running load and forgets it once settled, failures included", async () => {
    const flights = new SingleFlight<number>();
    let calls = 0;
    const failing = () =>
      flights.run("k", async () => (calls++, Promise.reject(new Error("boom"))));
    await expect(Promise.all([failing(), failing()])).rejects.toThrow("boom");
    expect(calls).toBe(1);
    expect(flights.size).toBe(0);
    expect(await flights.run("k", async () => 42)).toBe(42);
  });
});
