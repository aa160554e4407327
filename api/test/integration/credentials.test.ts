/**
 * The API's credentials against real MariaDB and Redis: the least-privilege users the migration
 * command provisions, a password rotated in the middle of traffic on both (the provider hands
 * out the new one, open connections keep working, new ones log in with it) without one failed
 * request, and the Redis ACL the elasticache module grants being exactly enough for the cache.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { passwordProvider } from "../../src/auth/credentials.js";
import { APP_ACCESS_STRING } from "../../src/cache/acl.js";
import { connectionOptions } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { grantAppUser, provisionUsers, type ProvisionOptions } from "../../src/db/provision.js";
import {
  createTestDatabase,
  createTestRuntime,
  databaseConfig,
  hostPort,
  testConfig,
  waitFor,
  type TestDatabase,
} from "../harness/fixtures.js";

const suffix = randomBytes(4).toString("hex");
const APP = `app_${suffix}`;
const MIGRATOR = `migrator_${suffix}`;
const REDIS_USER = `expense-app-${suffix}`;
let db: TestDatabase;
let master: mysql.Connection;
let admin: Redis;
let options: ProvisionOptions;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"), { migrate: false });
  const root = databaseConfig(inject("testDatabaseUrl"), db.name);
  // mysql2 options from the API's own mapping (a DatabaseConfig has fields mysql2 does not know).
  master = await mysql.createConnection({ ...connectionOptions(root), multipleStatements: false });
  options = {
    database: db.name,
    appUser: APP,
    migrationUser: MIGRATOR,
    login: { kind: "password", app: "app-pass-1", migration: "migrator-pass" },
  };
  admin = new Redis(inject("testRedisUrl"));
});

afterAll(async () => {
  await master.query("DROP USER IF EXISTS ?@'%', ?@'%'", [APP, MIGRATOR]);
  await master.end();
  await db.drop();
  await admin.call("ACL", "DELUSER", REDIS_USER);
  admin.disconnect();
});

/** A connection to the test database as `user`. */
const connectAs = (user: string, password: string) =>
  mysql.createConnection({
    ...connectionOptions(databaseConfig(inject("testDatabaseUrl"), db.name)),
    user,
    password,
  });

describe("provisioned MySQL users", () => {
  it("are created idempotently; migrations run as the migration user; the app user gets its table", async () => {
    await provisionUsers(master, options);
    await provisionUsers(master, options);
    await runMigrations(databaseConfig(inject("testDatabaseUrl"), db.name), {
      user: MIGRATOR,
      password: "migrator-pass",
    });
    await grantAppUser(master, options);
    await grantAppUser(master, options);
    const [grants] = await master.query("SHOW GRANTS FOR ?@'%'", [APP]);
    expect(JSON.stringify(grants)).toContain(
      `GRANT SELECT, INSERT, DELETE ON \`${db.name}\`.\`transactions\``,
    );
  });

  it("let the app user read, add and delete rows, and nothing else", async () => {
    const app = await connectAs(APP, "app-pass-1");
    try {
      await app.query("INSERT INTO transactions (amount, description) VALUES (1.5, 'x')");
      const [rows] = await app.query("SELECT COUNT(*) AS n FROM transactions");
      expect((rows as { n: number }[])[0]!.n).toBe(1);
      await app.query("DELETE FROM transactions");
      for (const sql of [
        "DROP TABLE transactions",
        "ALTER TABLE transactions ADD COLUMN evil INT",
        "CREATE TABLE evil (id INT)",
        "UPDATE transactions SET amount = 0",
        "TRUNCATE TABLE transactions",
        "SELECT * FROM __drizzle_migrations",
        "SELECT * FROM mysql.user",
      ])
        await expect(app.query(sql), sql).rejects.toMatchObject({
          code: expect.stringMatching(
            /^ER_(TABLEACCESS|DBACCESS|COLUMNACCESS|SPECIFIC_ACCESS)_DENIED_ERROR$|^ER_TABLEACCESS_DENIED_ERROR$/,
          ),
        });
    } finally {
      await app.end();
    }
  });

  it("let the migration user change the schema of its database only", async () => {
    const migrator = await connectAs(MIGRATOR, "migrator-pass");
    try {
      await migrator.query("CREATE TABLE scratch (id INT)");
      await migrator.query("ALTER TABLE scratch ADD COLUMN v INT");
      await migrator.query("DROP TABLE scratch");
      await expect(migrator.query("SELECT * FROM mysql.user")).rejects.toMatchObject({
        code: "ER_TABLEACCESS_DENIED_ERROR",
      });
      await expect(
        migrator.query("GRANT SELECT ON ??.* TO ?@'%'", [db.name, APP]),
      ).rejects.toBeTruthy();
    } finally {
      await migrator.end();
    }
  });
});

describe("Redis ACL of the app user", () => {
  it("allows the cache's commands on its keys and refuses everything else", async () => {
    await admin.call(
      "ACL",
      "SETUSER",
      REDIS_USER,
      "reset",
      ">redis-pass-1",
      ...APP_ACCESS_STRING.split(" "),
    );
    const client = new Redis({
      ...hostPort(inject("testRedisUrl"), 6379),
      username: REDIS_USER,
      password: "redis-pass-1",
    });
    try {
      await client.set("expense:acl:a", "1");
      expect(await client.get("expense:acl:a")).toBe("1");
      expect(await client.incr("expense:acl:n")).toBe(1);
      expect(await client.eval("return redis.call('GET', KEYS[1])", 1, "expense:acl:a")).toBe("1");
      for (const command of [
        ["GET", "other:key"],
        ["FLUSHALL"],
        ["KEYS", "*"],
        ["CONFIG", "GET", "*"],
        ["DEL", "expense:acl:a"],
        ["ACL", "LIST"],
        ["CLIENT", "KILL", "USER", "default"],
      ])
        await expect(
          client.call(command[0]!, ...command.slice(1)),
          command.join(" "),
        ).rejects.toThrow(/NOPERM/);
    } finally {
      client.disconnect();
    }
  });
});

describe("rotation in the middle of traffic", () => {
  it("serves every request while the MySQL and Redis passwords change and new connections log in with the new ones", async () => {
    let dbPassword = "app-pass-1";
    let redisPassword = "redis-pass-1";
    await admin.call(
      "ACL",
      "SETUSER",
      REDIS_USER,
      "reset",
      `>${redisPassword}`,
      ...APP_ACCESS_STRING.split(" "),
    );
    const base = testConfig(
      {
        ...databaseConfig(inject("testDatabaseUrl"), db.name),
        user: APP,
        password: "unused",
        poolSize: 4,
      },
      inject("testRedisUrl"),
    );
    const runtime = await createTestRuntime(
      { ...base, redis: { ...base.redis, user: REDIS_USER, password: undefined } },
      {
        keyPrefix: `expense:rotation-${suffix}:`,
        // Idle connections close (mysql2 sweeps once a second), so traffic keeps opening new ones.
        databaseOptions: {
          credentials: passwordProvider(() => dbPassword),
          idleTimeoutMs: 50,
          maxIdle: 0,
        },
        redisCredentials: { credentials: passwordProvider(() => redisPassword), refreshMs: 25 },
      },
    );
    let opened = 0;
    runtime.db.pool.on("connection", () => opened++);
    const statuses: number[] = [];
    let running = true;
    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        const response =
          i % 2 === 0
            ? await runtime.app.request("/transaction", {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ amount: 1, description: `w${n}-${i}` }),
              })
            : await runtime.app.request("/transaction");
        statuses.push(response.status);
        // Uneven pauses: the pool shrinks and grows, so logins keep happening.
        await sleep(i % 5 === 4 ? 80 : (n * 17 + i * 7) % 40);
      }
    };
    try {
      const workers = [1, 2, 3, 4].map(worker);
      await sleep(300);
      // MySQL: the server switches first; the provider follows a moment later (as a secret store
      // would), so logins in between are refused and retried with the fresh value.
      await master.query("ALTER USER ?@'%' IDENTIFIED BY ?", [APP, "app-pass-2"]);
      await sleep(20);
      dbPassword = "app-pass-2";
      const openedBefore = opened;
      // Redis: add the new password, drop the old one, then close the user's connections.
      await admin.call("ACL", "SETUSER", REDIS_USER, ">redis-pass-2", "<redis-pass-1");
      redisPassword = "redis-pass-2";
      await sleep(60);
      await admin.call("CLIENT", "KILL", "USER", REDIS_USER);
      // Keep the traffic going until the pool has logged in anew several times.
      await waitFor(() => opened - openedBefore >= 3, 8_000, "new MySQL logins after the rotation");
      running = false;
      await Promise.all(workers);
      await waitFor(() => runtime.cache.isUp(), 5_000, "redis back with the new password");
      expect(statuses.length).toBeGreaterThan(50);
      expect(statuses.filter((s) => s >= 300)).toEqual([]);
      // The old passwords are dead: a fresh login with them fails on both.
      await expect(connectAs(APP, "app-pass-1")).rejects.toMatchObject({
        code: "ER_ACCESS_DENIED_ERROR",
      });
      // (A failed AUTH leaves the admin connection logged in as before.)
      await expect(admin.call("AUTH", REDIS_USER, "redis-pass-1")).rejects.toThrow(/WRONGPASS/);
    } finally {
      running = false;
      await runtime.close();
    }
  });
});
