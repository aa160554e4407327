/**
 * Group commit in the app. On a durable database every commit waits for an fsync of the redo log;
 * profiling the POST path (bench "writes") showed that fsync, not the pool, the logging or the
 * Redis bump, bounds the rows/s: 10 pooled connections each committing one row barely beat the
 * original's single connection. So concurrent POSTs share a statement: while `maxInFlight`
 * inserts are running, new rows wait and leave together as one multi-row INSERT (one round trip,
 * one commit, one fsync, one cache bump). An idle API sends a lone row at once, so a single
 * client sees no added latency. Every request is answered only after its row has committed and
 * the cache generation moved on, as before.
 */
import { isDatabaseUnavailable } from "../http/errors.js";
import type { NewTransaction } from "./validation.js";

/** Most rows one INSERT carries (bounds statement size and the blast radius of one failure). */
export const MAX_BATCH_ROWS = 200;

/** Options of {@link InsertBatcher}. */
export interface InsertBatcherOptions {
  /** Inserts the rows in one statement and returns their ids in order. */
  insertMany(rows: NewTransaction[]): Promise<number[]>;
  /** Runs once per committed statement before its requests are answered (the cache bump). */
  afterCommit(): Promise<void>;
  /** INSERT statements running at once; the rest of the pool stays free for reads. @default 4 */
  maxInFlight?: number;
}

interface Pending {
  row: NewTransaction;
  resolve(id: number): void;
  reject(error: unknown): void;
}

/** Queues inserts and sends them in as few statements as the database's pace allows. */
export class InsertBatcher {
  readonly #insertMany: InsertBatcherOptions["insertMany"];
  readonly #afterCommit: InsertBatcherOptions["afterCommit"];
  readonly #maxInFlight: number;
  #queue: Pending[] = [];
  #inFlight = 0;

  constructor({ insertMany, afterCommit, maxInFlight = 4 }: InsertBatcherOptions) {
    this.#insertMany = insertMany;
    this.#afterCommit = afterCommit;
    this.#maxInFlight = maxInFlight;
  }

  /** Inserts `row`; resolves to its id once committed and the cache has moved on. */
  insert(row: NewTransaction): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ row, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH_ROWS);
      this.#inFlight += 1;
      void this.#send(batch).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
      });
    }
  }

  async #send(batch: Pending[]): Promise<void> {
    let ids: number[];
    try {
      ids = await this.#insertMany(batch.map((pending) => pending.row));
    } catch (error) {
      // One unstorable row must not fail its neighbours: retry them one by one, unless the
      // database itself is unavailable (then every row would fail the same way).
      if (batch.length > 1 && !isDatabaseUnavailable(error)) {
        await Promise.all(batch.map((pending) => this.#send([pending])));
        return;
      }
      for (const pending of batch) pending.reject(error);
      return;
    }
    // The rows are committed; a failed bump only costs cache trust (handled inside afterCommit).
    await this.#afterCommit().catch(() => undefined);
    batch.forEach((pending, i) => pending.resolve(ids[i]!));
  }
}
