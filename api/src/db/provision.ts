/**
 * Creates the API's two MySQL users, idempotently, as the master user: the migration user, which
 * may change the schema of the API's database, and the application user, which may only read,
 * add and delete rows of its one table. With IAM authentication neither has a password: RDS
 * accepts a token signed by a role allowed `rds-db:connect` as that user, over TLS only.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.DBAccounts.html
 */
import type { Connection } from "mysql2/promise";

/** Privileges of the application user on its table: what the API's queries need, nothing else. */
export const APP_PRIVILEGES = ["SELECT", "INSERT", "DELETE"] as const;

/** Privileges of the migration user on the API's database (schema changes, no GRANT, no other database). */
export const MIGRATION_PRIVILEGES = [
  "SELECT",
  "INSERT",
  "UPDATE",
  "DELETE",
  "CREATE",
  "DROP",
  "ALTER",
  "INDEX",
  "REFERENCES",
] as const;

/** Which users to create and how they log in. */
export interface ProvisionOptions {
  database: string;
  appUser: string;
  migrationUser: string;
  /** The API's table. @default "transactions" */
  table?: string;
  /** `iam` (RDS) or fixed passwords (local MySQL/MariaDB, tests). */
  login: { kind: "iam" } | { kind: "password"; app: string; migration: string };
}

/** `CREATE USER IF NOT EXISTS` for one user, as its login kind needs. */
async function createUser(
  master: Connection,
  user: string,
  login: ProvisionOptions["login"],
  password: string,
): Promise<void> {
  if (login.kind === "iam") {
    await master.query(
      "CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
      [user],
    );
  } else {
    await master.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [user, password]);
  }
}

/**
 * Step 1, before migrations: both users exist, the migration user may change the schema. The
 * application user's grant needs the table, so it follows the migrations ({@link grantAppUser}).
 */
export async function provisionUsers(master: Connection, options: ProvisionOptions): Promise<void> {
  const { login } = options;
  await createUser(
    master,
    options.migrationUser,
    login,
    login.kind === "password" ? login.migration : "",
  );
  await createUser(master, options.appUser, login, login.kind === "password" ? login.app : "");
  await master.query(`GRANT ${MIGRATION_PRIVILEGES.join(", ")} ON ??.* TO ?@'%'`, [
    options.database,
    options.migrationUser,
  ]);
}

/** Step 2, after migrations: the application user may read, add and delete rows of its table. */
export async function grantAppUser(master: Connection, options: ProvisionOptions): Promise<void> {
  await master.query(`GRANT ${APP_PRIVILEGES.join(", ")} ON ??.?? TO ?@'%'`, [
    options.database,
    options.table ?? "transactions",
    options.appUser,
  ]);
}
