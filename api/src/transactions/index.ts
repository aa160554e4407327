/**
 * `/transaction` routes: the original's (list, add, delete all, and the legacy `/transaction/id`
 * whose id travels in the body) plus RESTful `GET/DELETE /transaction/:id`. Reads go through the
 * Redis cache; every write commits in MySQL, then invalidates, then answers, so a client that
 * reads after a write's response sees the write.
 */
import { Hono, type Context } from "hono";
import type { TransactionCache } from "../cache/index.js";
import { readFields } from "../http/body.js";
import type { AppEnv } from "../http/env.js";
import { ApiError, methodNotAllowed } from "../http/errors.js";
import type { Metrics } from "../metrics.js";
import { InsertBatcher } from "./insert-batcher.js";
import type { TransactionRepository } from "./repository.js";
import { parseId, parseNewTransaction, parsePageQuery } from "./validation.js";

/** What the transaction routes need. */
export interface TransactionRoutesDeps {
  repository: TransactionRepository;
  cache: TransactionCache;
  metrics: Metrics;
}

/**
 * Headers of a cached body's answer: a fresh object each time, because @hono/node-server writes
 * the Content-Length into the object it is given (a shared one would carry the first body's
 * length to every later answer).
 */
const jsonHeaders = (): Record<string, string> => ({ "Content-Type": "application/json" });

const notFound = (id: number): ApiError =>
  new ApiError(404, "not_found", `transaction with id ${id} not found`, "id");

/** The id of the legacy routes: body `{"id": 1}` (JSON or form), or `?id=1` for clients that cannot send a GET body. */
async function legacyId(c: Context<AppEnv>): Promise<number> {
  const fields = await readFields(c);
  return parseId(fields.id ?? c.req.query("id"));
}

/** The whole-table body of `GET /transaction` (the original's form), loaded from MySQL. */
export function listBodyLoader(repository: TransactionRepository): () => Promise<string> {
  return async () => JSON.stringify({ result: await repository.list() });
}

/** Builds the router mounted at `/transaction`. */
export function transactionRoutes({
  repository,
  cache,
  metrics,
}: TransactionRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  // Concurrent POSTs share an INSERT and its commit (see insert-batcher.ts).
  const inserts = new InsertBatcher({
    insertMany: (rows) => repository.createMany(rows),
    afterCommit: () => cache.afterInsert(),
  });

  const loadList = listBodyLoader(repository);

  const getOne = async (c: Context<AppEnv>, id: number): Promise<Response> => {
    const read = await cache.readById(id, async () => {
      const row = await repository.get(id);
      return row ? JSON.stringify(row) : null;
    });
    c.set("cache", read.cache);
    if (read.body === null) throw notFound(id);
    return c.body(read.body, 200, jsonHeaders());
  };

  const deleteOne = async (c: Context<AppEnv>, id: number, legacy: boolean): Promise<Response> => {
    const deleted = await repository.deleteById(id);
    if (deleted === 0) throw notFound(id);
    metrics.transactionsDeleted.inc(deleted);
    await cache.afterDelete();
    // The legacy route keeps the original's wording; it is now true, so the new route drops "seemingly".
    return c.json({
      message: `transaction with id ${id} ${legacy ? "seemingly deleted" : "deleted"}`,
    });
  };

  app.get("/", async (c) => {
    const limit = c.req.query("limit");
    const after = c.req.query("after");
    // The original's client sends neither and keeps the original body (the whole table).
    if (limit !== undefined || after !== undefined) {
      const page = parsePageQuery(limit, after);
      const read = await cache.readPage(page.after, page.limit, async () => {
        // One row more than asked tells whether another page follows without a COUNT.
        const rows = await repository.page(page.after, page.limit + 1);
        const more = rows.length > page.limit;
        if (more) rows.length = page.limit;
        const next = more ? String(rows[rows.length - 1]!.id) : null;
        return JSON.stringify({ result: rows, next });
      });
      c.set("cache", read.cache);
      return c.body(read.body!, 200, jsonHeaders());
    }
    const read = await cache.readList(loadList);
    c.set("cache", read.cache);
    // The cached value is the finished body: a hit costs no JSON parse or stringify.
    return c.body(read.body!, 200, jsonHeaders());
  });

  app.post("/", async (c) => {
    const input = parseNewTransaction(await readFields(c));
    // Unlike the original, answer only after the insert has committed (and the cache moved on:
    // the batcher bumps the generation before it resolves).
    const id = await inserts.insert(input);
    metrics.transactionsCreated.inc();
    metrics.transactionAmount.observe(input.amount);
    return c.json({ message: "added transaction successfully", id });
  });

  app.delete("/", async (c) => {
    const deleted = await repository.deleteAll();
    metrics.transactionsDeleted.inc(deleted);
    await cache.afterDelete();
    return c.json({ message: "delete function execution finished." });
  });

  app.all("/", methodNotAllowed(["GET", "HEAD", "POST", "DELETE", "OPTIONS"]));

  // Registered before "/:id" so the literal path wins.
  app.get("/id", async (c) => getOne(c, await legacyId(c)));
  app.delete("/id", async (c) => deleteOne(c, await legacyId(c), true));
  app.all("/id", methodNotAllowed(["GET", "HEAD", "DELETE", "OPTIONS"]));

  app.get("/:id", (c) => getOne(c, parseId(c.req.param("id"))));
  app.delete("/:id", (c) => deleteOne(c, parseId(c.req.param("id")), false));
  app.all("/:id", methodNotAllowed(["GET", "HEAD", "DELETE", "OPTIONS"]));

  return app;
}
