/**
 * Redis cache-aside for the transaction reads, with generation counters in the keys.
 *
 * Keys (prefix `expense:v1:` by default):
 * - `gen:list`  generation of the list; every write (insert, delete one, delete all) bumps it.
 * - `gen:rows`  generation of single rows; every delete bumps it (rows are never updated, and
 *               ids are never reused, so an insert cannot make a cached row stale).
 * - `list:cur`, `page:cur:<after>:<limit>` (list generation) and `row:cur:<id>` (rows
 *   generation) hold `<generation>\n<JSON response body>`, with the TTL: the generation the body
 *   was loaded under. A read fetches the generation and the entry in one MGET (shared by the
 *   reads that start in the same event-loop turn, turn-batch.ts) and hits only when the tag
 *   equals the current generation.
 *
 * Why generations instead of deleting keys: with DEL, a reader that missed before a write and
 * finishes its slow MySQL query after the write's DEL puts the old data back, and every later read
 * is stale until the TTL ends. Here a write commits in MySQL first and then bumps the counter,
 * so any read that starts after the write's response reads the new generation, misses, and
 * queries MySQL after the commit; a slow reader can only store an entry tagged with an old
 * generation, which no later reader accepts (and the store script drops it). Concurrent misses
 * share one query per key and generation (single-flight), so a read that starts after a write
 * never joins a query from before it.
 *
 * Redis trouble never fails a request: reads fall back to MySQL, errors are counted and logged
 * at most once per interval. If an invalidation cannot reach Redis, entries cached before the
 * write could be stale once Redis is reachable again, so the cache stops answering from Redis
 * until it has bumped both generations (which retires every existing entry).
 */
import type { Redis } from "ioredis";
import { describeError, RateLimitedLog, type Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { FreshFlight } from "./fresh-flight.js";
import { SingleFlight } from "./single-flight.js";
import { TurnBatchedMget } from "./turn-batch.js";

/** What a cached read is for; the `operation` label of the cache counters. */
export type CacheOperation = "list" | "page" | "get_by_id" | "invalidate";

/** A cached read's operation. */
type ReadOperation = Exclude<CacheOperation, "invalidate">;

/** Result of a cached read: the body (null when the loader found nothing) and where it came from. */
export interface CachedRead {
  body: string | null;
  cache: "hit" | "miss";
}

/** Options of {@link TransactionCache}. */
export interface TransactionCacheOptions {
  redis: Redis;
  /** Entry lifetime in seconds (CACHE_TTL_SECONDS). */
  ttlSeconds: number;
  metrics: Metrics;
  logger: Logger;
  /** Prefix of every key; tests use their own so they can share one Redis. @default "expense:v1:" */
  keyPrefix?: string;
  /** How long to stop using Redis after a command timed out. @default 1000 */
  breakerMs?: number;
}

// Reads the generation, creating it if absent. A missing generation starts from the server clock
// in microseconds rather than 0, so a counter lost to eviction or a flush never comes back with
// a value that entries still carry as their tag.
const GEN_SCRIPT = `
local gen = redis.call('GET', KEYS[1])
if not gen then
  local t = redis.call('TIME')
  gen = t[1] .. string.format('%06d', t[2])
  redis.call('SET', KEYS[1], gen)
end
return gen
`;

// Stores an entry only while its tag is still the current generation: a slow reader from before
// a write would otherwise overwrite the newer entry (not stale, since its tag would not match,
// but a needless miss for everyone after).
const STORE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
`;

const NEWLINE = 10;

// Bumps each generation given as a key (INCR, or the clock value when absent, as above).
const BUMP_SCRIPT = `
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    redis.call('INCR', key)
  else
    local t = redis.call('TIME')
    redis.call('SET', key, t[1] .. string.format('%06d', t[2]))
  end
end
return #KEYS
`;

interface ScriptedRedis {
  expenseCacheGen(genKey: string): Promise<string>;
  expenseCacheStore(
    genKey: string,
    entryKey: string,
    gen: string,
    value: string,
    ttlSeconds: number,
  ): Promise<number>;
  expenseCacheBump(keyCount: number, ...keys: string[]): Promise<number>;
}

/** Cache-aside for `GET /transaction` and `GET /transaction/:id`; see the module comment. */
export class TransactionCache {
  readonly #redis: Redis & ScriptedRedis;
  readonly #ttl: number;
  readonly #metrics: Metrics;
  readonly #log: RateLimitedLog;
  readonly #flights = new SingleFlight<string | null>();
  /** Coalesces MySQL reads while Redis cannot give a generation (see fresh-flight.ts). */
  readonly #direct = new FreshFlight<string | null>();
  /** The reads of one event-loop turn share one MGET (see turn-batch.ts). */
  readonly #lookups: TurnBatchedMget;
  readonly #listGen: string;
  readonly #rowsGen: string;
  readonly #listPrefix: string;
  readonly #rowPrefix: string;
  readonly #pagePrefix: string;
  readonly #breakerMs: number;
  #breakerUntil = 0;
  #trusted = true;
  #resyncing = false;

  constructor({
    redis,
    ttlSeconds,
    metrics,
    logger,
    keyPrefix = "expense:v1:",
    breakerMs = 1_000,
  }: TransactionCacheOptions) {
    redis.defineCommand("expenseCacheGen", { numberOfKeys: 1, lua: GEN_SCRIPT });
    redis.defineCommand("expenseCacheStore", { numberOfKeys: 2, lua: STORE_SCRIPT });
    redis.defineCommand("expenseCacheBump", { lua: BUMP_SCRIPT });
    this.#redis = redis as Redis & ScriptedRedis;
    this.#lookups = new TurnBatchedMget((keys) => redis.mget(keys));
    this.#ttl = ttlSeconds;
    this.#metrics = metrics;
    this.#log = new RateLimitedLog(logger);
    this.#breakerMs = breakerMs;
    this.#listGen = `${keyPrefix}gen:list`;
    this.#rowsGen = `${keyPrefix}gen:rows`;
    this.#listPrefix = `${keyPrefix}list:`;
    this.#rowPrefix = `${keyPrefix}row:`;
    this.#pagePrefix = `${keyPrefix}page:`;
    // ioredis reports connection errors as events; without a listener they would be printed raw.
    redis.on("error", (error: unknown) =>
      this.#log.warn("connection", { err: describeError(error) }, "redis connection error"),
    );
  }

  /** The list body (`{"result":[...]}`), from Redis or from `load`. */
  readList(load: () => Promise<string>): Promise<CachedRead> {
    return this.#read("list", this.#listGen, this.#listPrefix, "", load);
  }

  /**
   * One page of the keyset-paginated list (`after`, `limit`), keyed under the list generation so
   * every write retires cached pages exactly like the full list.
   */
  readPage(after: number, limit: number, load: () => Promise<string>): Promise<CachedRead> {
    return this.#read("page", this.#listGen, this.#pagePrefix, `:${after}:${limit}`, load);
  }

  /** One row's body, from Redis or from `load`; `load` returns null for an unknown id (not cached). */
  readById(id: number, load: () => Promise<string | null>): Promise<CachedRead> {
    return this.#read("get_by_id", this.#rowsGen, this.#rowPrefix, `:${id}`, load);
  }

  /** Retires cached lists; call after an insert has committed, before answering. */
  afterInsert(): Promise<void> {
    return this.#bump([this.#listGen]);
  }

  /** Retires cached lists and rows; call after a delete (one or all) has committed. */
  afterDelete(): Promise<void> {
    return this.#bump([this.#listGen, this.#rowsGen]);
  }

  /** True while Redis is connected and in use for reads. */
  isUp(): boolean {
    return this.#redis.status === "ready" && Date.now() >= this.#breakerUntil;
  }

  /** Round-trips a PING (for the readiness probe); false on any error. */
  async ping(): Promise<boolean> {
    if (this.#redis.status !== "ready") return false;
    try {
      return (await this.#redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  /** Closes the connection, letting commands already sent finish. */
  async close(): Promise<void> {
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  async #read(
    operation: ReadOperation,
    genKey: string,
    prefix: string,
    suffix: string,
    load: () => Promise<string | null>,
  ): Promise<CachedRead> {
    const startedAt = performance.now();
    // Without a generation, concurrent misses share a MySQL query only if it was sent after
    // they started (FreshFlight), so no reader gets rows from before a write it saw answered.
    const direct = () => this.#direct.run(operation + suffix, startedAt, load);
    if (!this.#usable()) {
      // Known down: straight to MySQL, no Redis round trip.
      this.#metrics.cacheErrors.inc({ operation });
      this.#metrics.cacheMisses.inc({ operation });
      return { body: await direct(), cache: "miss" };
    }
    // One entry per read key, tagged with the generation it was loaded under: `<gen>\n<body>`.
    // A hit is one read of the generation and the entry (no Lua: a script per read cost Redis
    // CPU that the cached-read bench showed), shared with the other reads of the same turn (one
    // MGET per turn); a tag other than the current generation is a miss.
    const entryKey = `${prefix}cur${suffix}`;
    let gen: string;
    try {
      const [current, entry] = await this.#lookups.get([genKey, entryKey]);
      if (
        current !== null &&
        entry !== null &&
        entry.startsWith(current) &&
        entry.charCodeAt(current.length) === NEWLINE
      ) {
        this.#metrics.cacheHits.inc({ operation });
        return { body: entry.slice(current.length + 1), cache: "hit" };
      }
      gen = current ?? (await this.#redis.expenseCacheGen(genKey));
    } catch (error) {
      this.#failed(operation, error);
      this.#metrics.cacheMisses.inc({ operation });
      return { body: await direct(), cache: "miss" };
    }
    this.#metrics.cacheMisses.inc({ operation });
    // Readers of the same generation share one load; the generation was read before the load
    // started, so a write answered before a reader began always shows in what the reader gets.
    const body = await this.#flights.run(`${entryKey}@${gen}`, async () => {
      const loaded = await load();
      if (loaded !== null) await this.#store(operation, genKey, entryKey, gen, loaded);
      return loaded;
    });
    return { body, cache: "miss" };
  }

  async #store(
    operation: ReadOperation,
    genKey: string,
    entryKey: string,
    gen: string,
    body: string,
  ): Promise<void> {
    try {
      await this.#redis.expenseCacheStore(genKey, entryKey, gen, `${gen}\n${body}`, this.#ttl);
    } catch (error) {
      this.#failed(operation, error);
    }
  }

  async #bump(keys: string[]): Promise<void> {
    if (this.#redis.status !== "ready") {
      this.#distrust("invalidate", new Error(`redis is ${this.#redis.status}`));
      return;
    }
    try {
      await this.#redis.expenseCacheBump(keys.length, ...keys);
    } catch (error) {
      this.#distrust("invalidate", error);
    }
  }

  #distrust(operation: CacheOperation, error: unknown): void {
    this.#trusted = false;
    this.#failed(operation, error);
  }

  #usable(): boolean {
    if (this.#redis.status !== "ready" || Date.now() < this.#breakerUntil) return false;
    if (this.#trusted) return true;
    this.#resync();
    return false;
  }

  /** Bumps both generations after a missed invalidation; trusts Redis again once that worked. */
  #resync(): void {
    if (this.#resyncing) return;
    this.#resyncing = true;
    this.#redis
      .expenseCacheBump(2, this.#listGen, this.#rowsGen)
      .then(
        () => {
          this.#trusted = true;
        },
        (error: unknown) => this.#failed("invalidate", error),
      )
      .finally(() => {
        this.#resyncing = false;
      });
  }

  #failed(operation: CacheOperation, error: unknown): void {
    this.#metrics.cacheErrors.inc({ operation });
    const timedOut = error instanceof Error && error.message === "Command timed out";
    if (timedOut) {
      // A connection that lets commands time out is probably dead without knowing it (a dropped
      // route, a failed-over node): stop using it for a moment and reconnect in the background.
      this.#breakerUntil = Date.now() + this.#breakerMs;
      if (this.#redis.status === "ready") this.#redis.disconnect(true);
    }
    this.#log.warn(
      `${operation}:${timedOut ? "timeout" : "error"}`,
      { operation, err: describeError(error) },
      "redis unavailable, serving from MySQL",
    );
  }
}
