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
      },
      redis: { host: "cache.internal", port: 6379, password: undefined, tls: false },
      cacheTtlSeconds: 300,
      corsOrigin: "*",
    });
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
