/**
 * The `transactions` table, column for column as the original workshop app created it
 * (`id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, amount DECIMAL(10,2), description VARCHAR(100)`),
 * so a database the original filled keeps working unchanged.
 */
import { decimal, int, mysqlTable, varchar } from "drizzle-orm/mysql-core";

/** One expense: amount with two decimals, description of at most 100 characters. */
export const transactions = mysqlTable("transactions", {
  id: int("id").autoincrement().primaryKey(),
  // Nullable like the original's column; the API itself always writes a value.
  amount: decimal("amount", { precision: 10, scale: 2, mode: "number" }),
  description: varchar("description", { length: 100 }),
});

/** A row as read from the table. */
export type TransactionRow = typeof transactions.$inferSelect;
