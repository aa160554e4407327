/**
 * Group commit in the app (src/transactions/insert-batcher.ts) against real MariaDB: concurrent
 * POSTs share INSERT statements, every answer carries the id of its own row, every answered row
 * is in the table and visible to the next read, and a row MariaDB rejects does not fail the rows
 * that travelled in the same statement.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import {
  createTestDatabase,
  createTestRuntime,
  testConfig,
  type TestDatabase,
} from "../harness/fixtures.js";

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

const post = async (desc: string) => {
  const res = await rt.app.request("/transaction", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount: "2.25", desc }),
  });
  return { status: res.status, body: (await res.json()) as { id?: number; error?: unknown } };
};

const insertStatements = async () =>
  (await rt.metrics.dbQueryDuration.get()).values.find(
    (v) =>
      v.labels.operation === "insert" &&
      (v as { metricName?: string }).metricName === "expense_db_query_duration_seconds_count",
  )?.value ?? 0;

describe("concurrent POSTs", () => {
  it("share INSERT statements and answer each with its own row's id", async () => {
    await rt.app.request("/transaction", { method: "DELETE" });
    const before = await insertStatements();
    const descs = Array.from({ length: 200 }, (_, i) => `batched ${i}`);
    const answers = await Promise.all(descs.map((desc) => post(desc)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const statements = (await insertStatements()) - before;
    expect(statements).toBeLessThan(200);
    expect(statements).toBeGreaterThanOrEqual(1);

    const rows = await db.query<{ id: number; description: string }>(
      "SELECT id, description FROM transactions",
    );
    expect(rows).toHaveLength(200);
    const byId = new Map(rows.map((row) => [row.id, row.description]));
    answers.forEach((answer, i) => expect(byId.get(answer.body.id!)).toBe(descs[i]));
    // Answered means committed and visible: the next list has every row.
    const list = (await (await rt.app.request("/transaction")).json()) as { result: unknown[] };
    expect(list.result).toHaveLength(200);
  });

  it("answers 400 only for the row MariaDB rejects, not for its batch mates", async () => {
    // A latin1 column (as the original's table may have) cannot hold an emoji: strict mode
    // rejects the whole multi-row INSERT, and the batcher retries its rows one by one.
    await db.query("ALTER TABLE transactions MODIFY description VARCHAR(100) CHARACTER SET latin1");
    try {
      await rt.app.request("/transaction", { method: "DELETE" });
      const descs = Array.from({ length: 30 }, (_, i) => (i === 7 ? "emoji 😀" : `plain ${i}`));
      const answers = await Promise.all(descs.map((desc) => post(desc)));
      expect(answers.map((a) => a.status)).toEqual(descs.map((_, i) => (i === 7 ? 400 : 200)));
      const rows = await db.query<{ description: string }>(
        "SELECT description FROM transactions ORDER BY id",
      );
      expect(rows.map((row) => row.description).sort()).toEqual(
        descs.filter((_, i) => i !== 7).sort(),
      );
    } finally {
      await db.query(
        "ALTER TABLE transactions MODIFY description VARCHAR(100) CHARACTER SET utf8mb4",
      );
    }
  });
});
