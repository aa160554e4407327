/**
 * All SQL the API runs, through drizzle with bound parameters, each statement timed into
 * `expense_db_query_duration_seconds{operation}`.
 */
import { asc, eq } from "drizzle-orm";
import type { Orm } from "../db/client.js";
import { transactions, type TransactionRow } from "../db/schema.js";
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
  /** The row with `id`, or undefined. */
  get(id: number): Promise<Transaction | undefined>;
  /** Inserts a row and returns its id. `amount` has at most two decimal places. */
  create(input: { amount: number; description: string }): Promise<number>;
  /** Deletes the row with `id`; resolves to the number of rows deleted (0 or 1). */
  deleteById(id: number): Promise<number>;
  /** Deletes every row; resolves to the number of rows deleted. */
  deleteAll(): Promise<number>;
}

/** Name of a repository statement; the `operation` label of the query histogram. */
export type DbOperation = "list" | "get_by_id" | "insert" | "delete_by_id" | "delete_all";

const toTransaction = (row: TransactionRow): Transaction => ({
  id: row.id,
  amount: row.amount,
  description: row.description,
});

/** The drizzle-backed repository. */
export function createTransactionRepository(orm: Orm, metrics: Metrics): TransactionRepository {
  const timed = async <T>(operation: DbOperation, run: () => Promise<T>): Promise<T> => {
    const end = metrics.dbQueryDuration.startTimer({ operation });
    try {
      return await run();
    } finally {
      end();
    }
  };

  return {
    list: () =>
      timed("list", async () =>
        (await orm.select().from(transactions).orderBy(asc(transactions.id))).map(toTransaction),
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
