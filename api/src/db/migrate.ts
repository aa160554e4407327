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
import { databaseCredentials } from "../auth/index.js";
import { connectionOptions } from "./client.js";
import { readMasterSecret } from "./master-secret.js";
import { grantAppUser, provisionUsers, type ProvisionOptions } from "./provision.js";

/** `api/drizzle/`, the same relative place from `src/db/` (tsx) and `dist/db/` (image). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** Name of the MySQL advisory lock that keeps two migration runs from interleaving. */
const LOCK_NAME = "expense_api_migrate";

/** Who the migrations log in as; the configured user and password by default. */
export interface MigrationLogin {
  user: string;
  password: string;
}

/**
 * Runs every pending migration against the configured database.
 * @param config where to connect; the database itself must exist (RDS creates it).
 * @param login the migration user (in AWS an IAM token as password).
 */
export async function runMigrations(config: DatabaseConfig, login?: MigrationLogin): Promise<void> {
  const connection = await mysql.createConnection({
    ...connectionOptions(config),
    ...(login ? { user: login.user, password: login.password } : {}),
  });
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

/**
 * What the migration Job runs: with the master secret configured, first create the users (as the
 * master user, whose password is read from Secrets Manager now and kept in memory only), then
 * migrate as the migration user, then grant the application user its table.
 */
export async function provisionAndMigrate(config: DatabaseConfig): Promise<void> {
  const migrationUser = config.migrationUser ?? config.user;
  let master: mysql.Connection | undefined;
  const options: ProvisionOptions = {
    database: config.database,
    appUser: config.user,
    migrationUser,
    login: { kind: "iam" },
  };
  if (config.masterSecretArn) {
    if (!config.region) throw new Error("AWS_REGION is required to read DB_MASTER_SECRET_ARN");
    const secret = await readMasterSecret(config.masterSecretArn, config.region);
    master = await mysql.createConnection({
      ...connectionOptions({ ...config, auth: "password" }),
      user: secret.username,
      password: secret.password,
    });
  }
  try {
    if (master && config.auth === "iam") await provisionUsers(master, options);
    const password = await databaseCredentials(config, migrationUser).get();
    await runMigrations(config, { user: migrationUser, password });
    if (master && config.auth === "iam") await grantAppUser(master, options);
  } finally {
    await master?.end();
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
    await provisionAndMigrate(config.db);
    logger.info({ database: config.db.database, host: config.db.host }, "migrations applied");
  } catch (error) {
    logger.error({ err: describeError(error) }, "migration failed");
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
