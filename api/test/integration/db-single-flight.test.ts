/**
 * Single-flight on the MySQL path whatever Redis does. The SELECTs are counted by MariaDB itself
 * (general log to a table, filtered by a MySQL user only this file's API uses), not by the code
 * under test. Redis sits behind a proxy the test black-holes, so its commands time out.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import type { TransactionRepository } from "../../src/transactions/repository.js";
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
const user = `sf_${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("hex");
/** Set by a test to hold list results back after their SELECT ran (a slow network reply). */
let listDelayMs = 0;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  await db.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'`);
  await db.query(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'127.0.0.1'`);
  await db.query("SET GLOBAL log_output = 'TABLE'");
  await db.query("SET GLOBAL general_log = 1");
  proxy = await startTcpProxy(hostPort(inject("testRedisUrl"), 6379));
  const wrap = (base: TransactionRepository): TransactionRepository => ({
    ...base,
    list: async () => {
      const rows = await base.list();
      if (listDelayMs > 0) await sleep(listDelayMs);
      return rows;
    },
  });
  rt = await createTestRuntime(
    testConfig({ ...db.config, user, password }, `redis://127.0.0.1:${proxy.port}`),
    { wrapRepository: wrap },
  );
});

afterAll(async () => {
  await rt?.close();
  await proxy?.close();
  await db?.query("SET GLOBAL general_log = 0").catch(() => undefined);
  await db?.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`).catch(() => undefined);
  await db?.drop();
});

/** SELECTs on `transactions` MariaDB has logged for this file's user. */
const selects = async (): Promise<number> =>
  (
    await db.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM mysql.general_log WHERE user_host LIKE ? AND " +
        "command_type = 'Query' AND CONVERT(argument USING utf8mb4) LIKE 'select%from `transactions`%'",
      [`${user}[%`],
    )
  )[0]!.n;

const list = async () => {
  const res = await rt.app.request("/transaction");
  expect(res.status).toBe(200);
  return (await res.json()) as { result: Array<{ description: string }> };
};

const add = async (desc: string) => {
  const res = await rt.app.request("/transaction", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount: "1.00", desc }),
  });
  expect(res.status).toBe(200);
};

beforeEach(async () => {
  listDelayMs = 0;
  await proxy.restore();
  await waitFor(() => rt.cache.isUp(), 5_000, "redis up");
});

describe("MySQL single-flight while Redis misbehaves", () => {
  it("sends exactly 1 SELECT for 100 concurrent misses while Redis commands time out", async () => {
    await add("row");
    proxy.blackhole();
    const before = await selects();
    const bodies = await Promise.all(Array.from({ length: 100 }, () => list()));
    expect(bodies.every((body) => body.result.at(-1)?.description === "row")).toBe(true);
    expect((await selects()) - before).toBe(1);
  });

  it("sends at most 2 SELECTs for 100 concurrent misses while Redis is known down", async () => {
    await add("row");
    proxy.blackhole();
    await list(); // trips the breaker: the next requests skip Redis altogether
    expect(rt.cache.isUp()).toBe(false);
    const before = await selects();
    const bodies = await Promise.all(Array.from({ length: 100 }, () => list()));
    expect(bodies.every((body) => body.result.at(-1)?.description === "row")).toBe(true);
    // One query for the readers that arrived before it was sent, one for those that came after.
    expect((await selects()) - before).toBeLessThanOrEqual(2);
  });

  it("never hands a reader a query that started before a write it saw answered", async () => {
    await add("first");
    proxy.blackhole();
    await list();
    expect(rt.cache.isUp()).toBe(false);
    // A's SELECT runs now, its rows arrive 300 ms later; the write commits in between.
    listDelayMs = 300;
    const slow = list();
    await sleep(50);
    listDelayMs = 0;
    await add("second");
    const after = await list();
    expect(after.result.map((row) => row.description).slice(-2)).toEqual(["first", "second"]);
    expect((await slow).result.at(-1)?.description).toBe("first");
  });
});
