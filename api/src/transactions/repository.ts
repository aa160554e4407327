/**
 * All SQL the API runs, through drizzle with bound parameters, each statement timed into
 * `expense_db_query_duration_seconds{operation}`.
 */
import { asc, eq, gt, sql } from "drizzle-orm";
import type { Orm } from "../db/client.js";
import { transactions, type TransactionRow } from "../db/schema.js";
import { DB_ERROR_REASONS, dbErrorReason } from "../db/errors.js";
import type { Metrics } from "../metrics.js";

/** A transaction as the API returns it. */
export interface Transaction {
  id: number;
  amount: number | null;
  description: string | null;
}

/** Data access for transactions; tests may wrap it (e.g. to slow a query down). */
export interface TransactionRepository {
  /** Every row in id order. */
  list(): Promise<Transaction[]>;
  /** At most `limit` rows with an id above `after`, in id order (keyset pagination). */
  page(after: number, limit: number): Promise<Transaction[]>;
  /** The row with `id`, or undefined. */
  get(id: number): Promise<Transaction | undefined>;
  /** Inserts a row and returns its id. `amount` has at most two decimal places. */
  create(input: { amount: number; description: string }): Promise<number>;
  /**
   * Inserts rows in one multi-row INSERT (one commit) and returns their ids in order. A simple
   * INSERT reserves its auto-increment values at once, so they are consecutive (in steps of
   * auto_increment_increment, read once per process) in every innodb_autoinc_lock_mode.
   */
  createMany(inputs: Array<{ amount: number; description: string }>): Promise<number[]>;
  /** Deletes the row with `id`; resolves to the number of rows deleted (0 or 1). */
  deleteById(id: number): Promise<number>;
  /** Deletes every row; resolves to the number of rows deleted. */
  deleteAll(): Promise<number>;
}

/** Name of a repository statement; the `operation` label of the query histogram. */
export type DbOperation = "list" | "page" | "get_by_id" | "insert" | "delete_by_id" | "delete_all";

/** Every operation, for initialising the error counter's series at 0. */
export const DB_OPERATIONS: readonly DbOperation[] = [
  "list",
  "page",
  "get_by_id",
  "insert",
  "delete_by_id",
  "delete_all",
];

const toTransaction = (row: TransactionRow): Transaction => ({
  id: row.id,
  amount: row.amount,
  description: row.description,
});

/** The drizzle-backed repository. */
export function createTransactionRepository(orm: Orm, metrics: Metrics): TransactionRepository {
  // Every series exists from the start, so rate() sees the first failure of an operation.
  for (const operation of DB_OPERATIONS) {
    for (const reason of DB_ERROR_REASONS) metrics.dbErrors.inc({ operation, reason }, 0);
  }

  const timed = async <T>(operation: DbOperation, run: () => Promise<T>): Promise<T> => {
    const end = metrics.dbQueryDuration.startTimer({ operation });
    try {
      return await run();
    } catch (error) {
      metrics.dbErrors.inc({ operation, reason: dbErrorReason(error) });
      throw error;
    } finally {
      end();
    }
  };

  let increment: Promise<number> | undefined;
  const readIncrement = async (): Promise<number> => {
    const rows = (await orm.execute(sql`SELECT @@auto_increment_increment AS step`)) as unknown as [
      Array<{ step: number | string }>,
    ];
    return Number(rows[0][0]?.step ?? 1) || 1;
  };

  return {
    list: () =>
      timed("list", async () =>
        (await orm.select().from(transactions).orderBy(asc(transactions.id))).map(toTransaction),
      ),
    page: (after, limit) =>
      timed("page", async () =>
        (
          await orm
            .select()
            .from(transactions)
            .where(gt(transactions.id, after))
            .orderBy(asc(transactions.id))
            .limit(limit)
        ).map(toTransaction),
      ),
    get: (id) =>
      timed("get_by_id", async () => {
        const [row] = await orm.select().from(transactions).where(eq(transactions.id, id)).limit(1);
        return row && toTransaction(row);
      }),
    create: ({ amount, description }) =>
      timed("insert", async () => {
        // drizzle binds String(amount); for at most 10 significant digits that is the exact
        // decimal the client sent ("12.50" -> 12.5 -> "12.5"), so nothing is lost to floats.
        const [result] = await orm.insert(transactions).values({ amount, description });
        return result.insertId;
      }),
    createMany: (inputs) =>
      timed("insert", async () => {
        // Read before inserting: a failure here must not answer 503 for rows already committed.
        const step = await (increment ??= readIncrement().catch((error: unknown) => {
          increment = undefined;
          throw error;
        }));
        const [result] = await orm
          .insert(transactions)
          .values(inputs.map(({ amount, description }) => ({ amount, description })));
        if (result.affectedRows !== inputs.length) {
          throw new Error(`inserted ${result.affectedRows} rows of ${inputs.length}`);
        }
        return inputs.map((_, i) => result.insertId + i * step);
      }),
    deleteById: (id) =>
      timed("delete_by_id", async () => {
        const [result] = await orm.delete(transactions).where(eq(transactions.id, id));
        return result.affectedRows;
      }),
    deleteAll: () =>
      timed("delete_all", async () => {
        const [result] = await orm.delete(transactions);
        return result.affectedRows;
      }),
  };
}
