/**
 * What a cached read costs in Redis, counted with MONITOR on the real server: a hit is one
 * command (MGET of the generation and the entry), and the reads that start in the same
 * event-loop turn share one MGET. Only commands on this file's key prefix are counted, so other
 * test files on the same Redis do not disturb the counts.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import {
  createTestDatabase,
  createTestRuntime,
  hostPort,
  listen,
  testConfig,
  waitFor,
  type Listening,
  type TestDatabase,
} from "../harness/fixtures.js";

const prefix = `test:trips:${randomBytes(4).toString("hex")}:`;
let db: TestDatabase;
let rt: Runtime;
let http: Listening;
let control: Redis;
let monitor: Redis;
/** Commands seen by MONITOR that touch this file's keys, in execution order. */
let seen: string[][] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")), {
    keyPrefix: prefix,
  });
  http = await listen(rt.app);
  const target = hostPort(inject("testRedisUrl"), 6379);
  control = new Redis(target.port, target.host);
  monitor = await control.monitor();
  monitor.on("monitor", (_time: string, args: string[]) => {
    if (args.some((arg) => arg.startsWith(prefix))) seen.push(args);
  });
  for (const desc of ["a", "b", "c"]) {
    const res = await rt.app.request("/transaction", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ amount: "1.00", desc }),
    });
    expect(res.status).toBe(200);
  }
});

afterAll(async () => {
  monitor?.disconnect();
  await control?.quit();
  await http?.close();
  await rt?.close();
  await db?.drop();
});

/** Waits until MONITOR has shown every command sent so far (a marker command comes last). */
async function settle(): Promise<string[][]> {
  const marker = `${prefix}marker:${randomBytes(4).toString("hex")}`;
  await control.exists(marker);
  await waitFor(() => seen.some((args) => args.includes(marker)), 5_000, "MONITOR marker");
  const commands = seen.filter((args) => !args.includes(marker));
  seen = [];
  return commands;
}

beforeEach(async () => {
  // Warm the entries the tests read (misses store them), then start counting from zero.
  expect((await fetch(`${http.url}/transaction`)).status).toBe(200);
  for (const id of [1, 2, 3])
    expect((await fetch(`${http.url}/transaction/${id}`)).status).toBe(200);
  await settle();
});

const hits = async (operation: string): Promise<number> =>
  (await rt.metrics.cacheHits.get()).values.find((v) => v.labels.operation === operation)?.value ??
  0;

describe("Redis round trips of cached reads", () => {
  it("answers each cached GET over HTTP with exactly one MGET", async () => {
    const before = await hits("list");
    for (let i = 0; i < 10; i += 1) {
      const res = await fetch(`${http.url}/transaction`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { result: unknown[] }).result).toHaveLength(3);
    }
    expect(await hits("list")).toBe(before + 10);
    const commands = await settle();
    expect(commands).toHaveLength(10);
    for (const command of commands) {
      expect(command).toEqual(["mget", `${prefix}gen:list`, `${prefix}list:cur`]);
    }
  });

  it("sends one MGET for all the reads that start in the same turn", async () => {
    const reads = [
      ...Array.from({ length: 30 }, () => rt.app.request("/transaction")),
      ...Array.from({ length: 30 }, (_, i) => rt.app.request(`/transaction/${(i % 3) + 1}`)),
    ];
    const answers = await Promise.all(reads);
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
    const bodies = await Promise.all(answers.map((res) => res.json()));
    expect(bodies[0]).toMatchObject({ result: [{ description: "a" }, {}, {}] });
    expect(bodies[30]).toMatchObject({ id: 1, description: "a" });
    const commands = await settle();
    // One command carrying each distinct key once: both generations and the four entries.
    expect(commands).toHaveLength(1);
    expect(commands[0]![0]).toBe("mget");
    expect([...commands[0]!.slice(1)].sort()).toEqual(
      ["gen:list", "list:cur", "gen:rows", "row:cur:1", "row:cur:2", "row:cur:3"]
        .map((key) => prefix + key)
        .sort(),
    );
  });

  it("shows a write answered after one turn's reads in the next turn's reads", async () => {
    // A write answered between two turns' reads must show in the second turn's answers.
    const first = rt.app.request("/transaction");
    await new Promise((resolve) => setImmediate(resolve));
    const added = await rt.app.request("/transaction", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ amount: "2.00", desc: "later" }),
    });
    expect(added.status).toBe(200);
    const second = await rt.app.request("/transaction");
    const rows = ((await second.json()) as { result: Array<{ description: string }> }).result;
    expect(rows.at(-1)?.description).toBe("later");
    expect((await first).status).toBe(200);
    await rt.app.request(`/transaction/${((await added.json()) as { id: number }).id}`, {
      method: "DELETE",
    });
  });
});
