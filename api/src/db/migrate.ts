/**
 * Applies the committed drizzle-kit migrations in `api/drizzle/` over one dedicated connection
 * (not the request pool). Run as `npm run migrate` locally or `node dist/db/migrate.js` in the
 * image (the Helm chart's migration Job). Reads the same environment variables as the server.
 */
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/mysql2";
import { migrate } from "drizzle-orm/mysql2/migrator";
import mysql from "mysql2/promise";
import { ConfigError, loadConfig, type DatabaseConfig } from "../config.js";
import { createLogger, describeError } from "../logger.js";
import { connectionOptions } from "./client.js";

/** `api/drizzle/`, the same relative place from `src/db/` (tsx) and `dist/db/` (image). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** Name of the MySQL advisory lock that keeps two migration runs from interleaving. */
const LOCK_NAME = "expense_api_migrate";

/**
 * Runs every pending migration against the configured database.
 * @param config where to connect; the database itself must exist (RDS creates it).
 */
export async function runMigrations(config: DatabaseConfig): Promise<void> {
  const connection = await mysql.createConnection(connectionOptions(config));
  try {
    // A Helm upgrade retried while the previous Job still runs must not apply a migration twice.
    const [rows] = await connection.query("SELECT GET_LOCK(?, 60) AS locked", [LOCK_NAME]);
    if ((rows as Array<{ locked: number | null }>)[0]?.locked !== 1) {
      throw new Error(
        `could not take the ${LOCK_NAME} lock within 60 s (another migration running?)`,
      );
    }
    try {
      await migrate(drizzle({ client: connection }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await connection.query("SELECT RELEASE_LOCK(?)", [LOCK_NAME]);
    }
  } finally {
    await connection.end();
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, { requireRedis: false });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ level: config.logLevel });
  try {
    await runMigrations(config.db);
    logger.info({ database: config.db.database, host: config.db.host }, "migrations applied");
  } catch (error) {
    logger.error({ err: describeError(error) }, "migration failed");
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
