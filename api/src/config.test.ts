import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, PARSED_ENV_VARS } from "./config.js";
import { API_ENV_VARS } from "./env-vars.js";

const minimal = { DB_HOST: "db.internal", DB_USER: "app", REDIS_HOST: "cache.internal" };

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
};

describe("loadConfig", () => {
  it("parses exactly the variables listed in env-vars.ts", () => {
    expect([...PARSED_ENV_VARS].sort()).toEqual(Object.keys(API_ENV_VARS).sort());
  });

  it("applies the documented defaults", () => {
    expect(loadConfig(minimal)).toEqual({
      port: 4000,
      logLevel: "info",
      db: {
        host: "db.internal",
        port: 3306,
        user: "app",
        password: "",
        database: "webappdb",
        tls: false,
        poolSize: 10,
        auth: "password",
        region: undefined,
        migrationUser: "app",
        masterSecretArn: undefined,
      },
      redis: {
        host: "cache.internal",
        port: 6379,
        password: undefined,
        tls: false,
        user: undefined,
        auth: "password",
        cacheName: undefined,
        region: undefined,
      },
      cacheTtlSeconds: 300,
      corsOrigin: "*",
    });
  });

  it("reads IAM authentication settings, as the platform's ConfigMap sets them", () => {
    const config = loadConfig({
      ...minimal,
      DB_AUTH: "iam",
      DB_TLS: "true",
      DB_MIGRATION_USER: "expense_migrator",
      DB_MASTER_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-abc-XyZ",
      REDIS_AUTH: "iam",
      REDIS_TLS: "true",
      REDIS_USER: "expense-dev-redis-app",
      REDIS_CACHE_NAME: "expense-dev-redis",
      AWS_REGION: "eu-west-1",
    });
    expect(config.db).toMatchObject({
      auth: "iam",
      tls: true,
      region: "eu-west-1",
      migrationUser: "expense_migrator",
      masterSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-abc-XyZ",
    });
    expect(config.redis).toMatchObject({
      auth: "iam",
      user: "expense-dev-redis-app",
      cacheName: "expense-dev-redis",
      region: "eu-west-1",
    });
  });

  it("names what IAM authentication is missing: region, TLS, Redis user and cache", () => {
    expect(() => loadConfig({ ...minimal, DB_AUTH: "iam", REDIS_AUTH: "iam" })).toThrow(
      new ConfigError([
        "AWS_REGION: is required with IAM authentication",
        "DB_TLS: must be true with DB_AUTH=iam (got undefined)",
        "REDIS_USER: is required with REDIS_AUTH=iam",
        "REDIS_CACHE_NAME: is required with REDIS_AUTH=iam",
        "REDIS_TLS: must be true with REDIS_AUTH=iam (got undefined)",
      ]),
    );
    expect(() => loadConfig({ ...minimal, DB_AUTH: "kerberos" })).toThrow(
      /DB_AUTH: must be password or iam \(got "kerberos"\)/,
    );
  });

  it("reads every variable, treating blank values as unset", () => {
    const config = loadConfig({
      ...minimal,
      PORT: "8080",
      LOG_LEVEL: "warn",
      DB_PORT: "3307",
      DB_PASSWORD: "s3cret",
      DB_NAME: "expenses",
      DB_TLS: "true",
      DB_POOL_SIZE: "25",
      REDIS_PORT: "6380",
      REDIS_PASSWORD: "token",
      REDIS_TLS: "1",
      CACHE_TTL_SECONDS: "60",
      CORS_ORIGIN: "https://a.example.com, https://b.example.com",
      DATABASE_URL: "  ",
    });
    expect(config).toMatchObject({
      port: 8080,
      logLevel: "warn",
      db: { port: 3307, password: "s3cret", database: "expenses", tls: true, poolSize: 25 },
      redis: { port: 6380, password: "token", tls: true },
      cacheTtlSeconds: 60,
      corsOrigin: ["https://a.example.com", "https://b.example.com"],
    });
  });

  it("lets DATABASE_URL override the DB_* variables", () => {
    const config = loadConfig({
      REDIS_HOST: "r",
      DB_HOST: "ignored",
      DATABASE_URL: "mysql://us%40er:p%3Ass@rds.example.com:3310/ledger",
    });
    expect(config.db).toMatchObject({
      host: "rds.example.com",
      port: 3310,
      user: "us@er",
      password: "p:ss",
      database: "ledger",
    });
  });

  it("names every bad variable, and never echoes a secret", () => {
    const found = problems({
      PORT: "eighty",
      DB_PORT: "70000",
      LOG_LEVEL: "loud",
      DB_TLS: "maybe",
      CACHE_TTL_SECONDS: "0",
      CORS_ORIGIN: "not an origin",
      DATABASE_URL: "postgres://u:hunter2@h/db",
      REDIS_HOST: "r",
    });
    expect(found.map((problem) => problem.split(":")[0])).toEqual([
      "PORT",
      "LOG_LEVEL",
      "DB_PORT",
      "DB_TLS",
      "CACHE_TTL_SECONDS",
      "CORS_ORIGIN",
    ]);
    expect(found.join("\n")).toContain(
      'PORT: must be a whole number between 1 and 65535 (got "eighty")',
    );
    const url = problems({ DATABASE_URL: "postgres://u:hunter2@h/db", REDIS_HOST: "r" });
    expect(url).toEqual(["DATABASE_URL: scheme must be mysql:// (got postgres://)"]);
    expect(url.join()).not.toContain("hunter2");
  });

  it("requires a database and a Redis host", () => {
    expect(problems({})).toEqual([
      "DB_HOST: is required (or set DATABASE_URL)",
      "DB_USER: is required (or set DATABASE_URL)",
      "REDIS_HOST: is required",
    ]);
    expect(() => loadConfig({})).toThrow(/invalid configuration:\n {2}- DB_HOST/);
    expect(loadConfig({ DB_HOST: "d", DB_USER: "u" }, { requireRedis: false }).db.host).toBe("d");
  });
});
