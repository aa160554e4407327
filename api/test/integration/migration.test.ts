/**
 * Migrations: a fresh database gets the original's table; a database the original app already
 * created keeps its table and rows; running twice changes nothing; the CLI reads the same
 * environment variables as the server.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, inject, it } from "vitest";
import { runMigrations } from "../../src/db/migrate.js";
import {
  createTestDatabase,
  createTestRuntime,
  testConfig,
  type TestDatabase,
} from "../harness/fixtures.js";

const API_DIR = fileURLToPath(new URL("../..", import.meta.url));
const created: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(created.map((db) => db.drop()));
});

async function freshDatabase(migrate: boolean): Promise<TestDatabase> {
  const db = await createTestDatabase(inject("testDatabaseUrl"), { migrate });
  created.push(db);
  return db;
}

const columns = (db: TestDatabase) =>
  db.query<Record<string, string>>(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_KEY AS \`key\`, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'transactions' ORDER BY ORDINAL_POSITION`,
    [db.name],
  );

/** Runs the migration CLI with `env`; resolves to its exit code and output. */
function runCli(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/db/migrate.ts"], {
      cwd: API_DIR,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("migrations", () => {
  it("create the original's table on a fresh database", async () => {
    const db = await freshDatabase(true);
    expect(await columns(db)).toEqual([
      {
        name: "id",
        type: expect.stringMatching(/^int(\(11\))?$/),
        nullable: "NO",
        key: "PRI",
        extra: "auto_increment",
      },
      { name: "amount", type: "decimal(10,2)", nullable: "YES", key: "", extra: "" },
      { name: "description", type: "varchar(100)", nullable: "YES", key: "", extra: "" },
    ]);
  });

  it("adopt a table the original app created, keeping its rows, and are idempotent", async () => {
    const db = await freshDatabase(false);
    // The workshop's own DDL and an insert as its app.js made them.
    await db.query(
      "CREATE TABLE IF NOT EXISTS transactions(id INT NOT NULL AUTO_INCREMENT, amount DECIMAL(10,2), description VARCHAR(100), PRIMARY KEY(id))",
    );
    await db.query(
      "INSERT INTO `transactions` (`amount`, `description`) VALUES ('400','groceries')",
    );
    await runMigrations(db.config);
    await runMigrations(db.config);
    expect(await db.query("SELECT COUNT(*) AS n FROM __drizzle_migrations")).toEqual([{ n: 1 }]);

    const rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")));
    try {
      const res = await rt.app.request("/transaction");
      expect(await res.json()).toEqual({
        result: [{ id: 1, amount: 400, description: "groceries" }],
      });
    } finally {
      await rt.close();
    }
  });

  it("run from the CLI with the server's environment variables", async () => {
    const db = await freshDatabase(false);
    const ok = await runCli({
      DB_HOST: db.config.host,
      DB_PORT: String(db.config.port),
      DB_USER: db.config.user,
      DB_PASSWORD: db.config.password,
      DB_NAME: db.name,
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.output.trim().split("\n").at(-1)!)).toMatchObject({
      level: "info",
      message: "migrations applied",
    });
    expect(await columns(db)).toHaveLength(3);

    const bad = await runCli({ DB_PORT: "not-a-port" });
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("DB_PORT: must be a whole number");
    expect(bad.output).toContain("DB_HOST: is required");
    expect(bad.output).not.toContain("REDIS_HOST");
  });
});
