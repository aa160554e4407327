/**
 * Read-after-write through the whole stack (HTTP, Redis, MariaDB): the classic slow-miss race
 * forced deterministically, a burst of concurrent writers and readers, and single-flight misses.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import type { TransactionRepository } from "../../src/transactions/repository.js";
import {
  createTestDatabase,
  createTestRuntime,
  listen,
  testConfig,
  type Listening,
  type TestDatabase,
} from "../harness/fixtures.js";

let db: TestDatabase;
let rt: Runtime;
let http: Listening;

/** Test hooks around the real repository: count list/get queries and optionally hold them. */
const hooks = {
  listCalls: 0,
  getCalls: 0,
  /** When set, list() awaits it after querying MySQL, before returning. */
  holdList: undefined as Promise<void> | undefined,
  /** Called once list() has its rows (the query is done, the return is pending). */
  onListQueried: undefined as (() => void) | undefined,
  getDelayMs: 0,
};

const instrument = (repository: TransactionRepository): TransactionRepository => ({
  ...repository,
  async list() {
    hooks.listCalls += 1;
    const rows = await repository.list();
    hooks.onListQueried?.();
    if (hooks.holdList) await hooks.holdList;
    return rows;
  },
  async get(id) {
    hooks.getCalls += 1;
    const row = await repository.get(id);
    if (hooks.getDelayMs) await new Promise((resolve) => setTimeout(resolve, hooks.getDelayMs));
    return row;
  },
});

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")), {
    wrapRepository: instrument,
  });
  http = await listen(rt.app);
});

afterAll(async () => {
  await http?.close();
  await rt?.close();
  await db?.drop();
});

const list = async (): Promise<Array<{ id: number; description: string }>> =>
  (
    (await (await fetch(`${http.url}/transaction`)).json()) as {
      result: Array<{ id: number; description: string }>;
    }
  ).result;

const add = async (desc: string): Promise<number> => {
  const res = await fetch(`${http.url}/transaction`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount: "1.00", desc }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
};

describe("no stale read after a write", () => {
  it("survives a miss that read MySQL before a write and fills Redis after it", async () => {
    await fetch(`${http.url}/transaction`, { method: "DELETE" });
    let release!: () => void;
    let queried!: () => void;
    hooks.holdList = new Promise<void>((resolve) => (release = resolve));
    const listQueried = new Promise<void>((resolve) => (queried = resolve));
    hooks.onListQueried = queried;

    const slowRead = list(); // misses, reads the empty table, then stalls before caching it
    await listQueried;
    hooks.onListQueried = undefined;
    hooks.holdList = undefined;

    await add("written during the slow read");
    expect((await list()).map((row) => row.description)).toEqual(["written during the slow read"]);

    release();
    expect(await slowRead).toEqual([]); // it answers with what it read, and caches it...
    // ...under a generation no later reader uses.
    expect((await list()).map((row) => row.description)).toEqual(["written during the slow read"]);
  });

  it("holds under concurrent writers, deleters and readers", { timeout: 30_000 }, async () => {
    await fetch(`${http.url}/transaction`, { method: "DELETE" });
    // A fixed amount of work (6 cycles per writer), bounded in time too: on a loaded machine a
    // time-only loop measured throughput rather than consistency.
    const cycles = 6;
    const deadline = Date.now() + 15_000;
    let checks = 0;
    let writing = true;
    // Background readers keep the cache busy with misses and refills from possibly older states.
    const readers = Array.from({ length: 4 }, async () => {
      while (writing && Date.now() < deadline) await list();
    });
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      let n = 0;
      while (n < cycles && Date.now() < deadline) {
        const id = await add(`w${writer}-${n++}`);
        expect((await list()).some((row) => row.id === id)).toBe(true);
        const single = await fetch(`${http.url}/transaction/${id}`);
        expect(single.status).toBe(200);
        const gone = await fetch(`${http.url}/transaction/${id}`, { method: "DELETE" });
        expect(gone.status).toBe(200);
        expect((await fetch(`${http.url}/transaction/${id}`)).status).toBe(404);
        expect((await list()).some((row) => row.id === id)).toBe(false);
        checks += 1;
      }
    });
    await Promise.all(writers).finally(() => (writing = false));
    await Promise.all(readers);
    expect(checks).toBe(4 * cycles);
  });
});

describe("single-flight", () => {
  it("sends concurrent misses for the same key to MySQL once", async () => {
    const id = await add("popular");
    hooks.getCalls = 0;
    // Coalescing covers misses that overlap: the first query is held long enough for all 30
    // requests to reach the server even on a loaded 2-core machine (at 100 ms, a late request
    // sometimes arrived after the first flight had finished and rightly started a second one).
    hooks.getDelayMs = 1_000;
    try {
      const answers = await Promise.all(
        Array.from({ length: 30 }, () =>
          fetch(`${http.url}/transaction/${id}`).then((res) => res.json()),
        ),
      );
      expect(answers.every((answer) => (answer as { id: number }).id === id)).toBe(true);
      expect(hooks.getCalls).toBe(1);
    } finally {
      hooks.getDelayMs = 0;
    }

    hooks.listCalls = 0;
    await add("invalidate the list");
    // Held the same way, for the same reason.
    hooks.holdList = new Promise((resolve) => setTimeout(resolve, 1_000));
    try {
      await Promise.all(Array.from({ length: 30 }, () => list()));
    } finally {
      hooks.holdList = undefined;
    }
    expect(hooks.listCalls).toBe(1);
  });
});
