/**
 * Configuration from environment variables only: exactly the names in `env-vars.ts`, validated
 * at startup with zod so a bad deployment fails at once with a message naming the variable.
 */
import { z } from "zod";
import { API_ENV_VARS, type ApiEnvVar } from "./env-vars.js";

/** Log levels pino accepts; `silent` turns logging off (benchmarks, some tests). */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** A pino log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** MySQL connection settings. */
export interface DatabaseConfig {
  host: string;
  /** @default 3306 */
  port: number;
  user: string;
  password: string;
  /** @default "webappdb" */
  database: string;
  /** Connect over TLS and verify the server certificate (RDS CA bundle included). */
  tls: boolean;
  /** @default 10 */
  poolSize: number;
  /** `password` (the password above) or `iam` (RDS IAM tokens; needs tls and region). @default "password" */
  auth?: "password" | "iam";
  /** AWS region of the database, for signing IAM tokens. */
  region?: string;
  /** User the migration command connects as. @default user */
  migrationUser?: string;
  /** RDS-managed master secret the migration command provisions the users with; empty skips. */
  masterSecretArn?: string;
}

/** Redis connection settings. */
export interface RedisConfig {
  host: string;
  /** @default 6379 */
  port: number;
  /** AUTH password; undefined for none. */
  password: string | undefined;
  tls: boolean;
  /** ACL user; undefined for the default user. */
  user?: string;
  /** `password` or `iam` (ElastiCache IAM tokens for `user`). @default "password" */
  auth?: "password" | "iam";
  /** Replication group ID the IAM tokens are signed for. */
  cacheName?: string;
  /** AWS region of the cache, for signing IAM tokens. */
  region?: string;
}

/** The validated configuration of one API process. */
export interface Config {
  /** @default 4000 */
  port: number;
  /** @default "info" */
  logLevel: LogLevel;
  db: DatabaseConfig;
  redis: RedisConfig;
  /** @default 300 */
  cacheTtlSeconds: number;
  /** `"*"` or the list of allowed origins. @default "*" */
  corsOrigin: "*" | string[];
}

/** Thrown when the environment is invalid; the message lists every bad variable by name. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

// Kubernetes ConfigMaps render unset optional keys as "", so empty means "not set" everywhere.
const blankToUndefined = (value: unknown): unknown =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const text = () => z.preprocess(blankToUndefined, z.string().optional());

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .default(fallback),
  );

const flag = () =>
  z.preprocess(
    (value) => (typeof value === "string" ? blankToUndefined(value.trim().toLowerCase()) : value),
    z
      .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
      .transform((value) => value === "true" || value === "1" || value === "yes")
      .default(false),
  );

const authMode = () =>
  z.preprocess(
    (value) => (typeof value === "string" ? blankToUndefined(value.trim().toLowerCase()) : value),
    z.enum(["password", "iam"], { error: "must be password or iam" }).default("password"),
  );

const origins = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default("*")
    .transform((value, ctx) => {
      if (value.trim() === "*") return "*" as const;
      const list = value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean);
      for (const origin of list) {
        if (!/^https?:\/\/[^\s/]+$/.test(origin)) {
          ctx.addIssue({
            code: "custom",
            message: `"${origin}" is not an origin like https://example.com`,
          });
        }
      }
      return list;
    }),
);

/**
 * One parser per variable of `API_ENV_VARS`; `satisfies` makes the compiler reject a missing or
 * an extra name, so this file and the chart's list cannot drift apart.
 */
const envShape = {
  PORT: integer(1, 65535, 4000),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  ),
  DATABASE_URL: text(),
  DB_HOST: text(),
  DB_PORT: integer(1, 65535, 3306),
  DB_USER: text(),
  DB_AUTH: authMode(),
  DB_MIGRATION_USER: text(),
  DB_MASTER_SECRET_ARN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(
        /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
        "must be a Secrets Manager secret ARN",
      )
      .optional(),
  ),
  // Not blank-to-undefined: an empty password is a valid (if unwise) MySQL password.
  DB_PASSWORD: z.string().optional(),
  DB_NAME: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_$]{1,64}$/, "must be 1-64 letters, digits, _ or $")
      .default("webappdb"),
  ),
  DB_TLS: flag(),
  DB_POOL_SIZE: integer(1, 1000, 10),
  REDIS_HOST: text(),
  REDIS_PORT: integer(1, 65535, 6379),
  REDIS_AUTH: authMode(),
  REDIS_USER: text(),
  REDIS_PASSWORD: text(),
  REDIS_CACHE_NAME: text(),
  AWS_REGION: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1")
      .optional(),
  ),
  REDIS_TLS: flag(),
  CACHE_TTL_SECONDS: integer(1, 86_400, 300),
  CORS_ORIGIN: origins,
} satisfies Record<ApiEnvVar, z.ZodType>;

/** Names of the variables the parser reads (equal to the keys of `API_ENV_VARS`). */
export const PARSED_ENV_VARS = Object.keys(envShape) as ApiEnvVar[];

function parseDatabaseUrl(
  raw: string,
  defaultDatabase: string,
  problems: string[],
): Omit<DatabaseConfig, "tls" | "poolSize"> | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push("DATABASE_URL: is not a URL like mysql://user:password@host:3306/webappdb");
    return undefined;
  }
  if (url.protocol !== "mysql:" && url.protocol !== "mariadb:") {
    problems.push(`DATABASE_URL: scheme must be mysql:// (got ${url.protocol}//)`);
    return undefined;
  }
  if (!url.hostname || !url.username) {
    problems.push("DATABASE_URL: must name a user and a host (mysql://user:password@host/db)");
    return undefined;
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || defaultDatabase;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
  };
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Require REDIS_HOST; the migration command, which never talks to Redis, does not. @default true */
  requireRedis?: boolean;
}

/**
 * Parses and validates the API's configuration.
 * @param env the environment to read; only the names in `API_ENV_VARS` are looked at.
 * @throws ConfigError naming every invalid or missing variable (never echoing secret values).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { requireRedis = true }: LoadConfigOptions = {},
): Config {
  const input: Record<string, string | undefined> = {};
  for (const name of PARSED_ENV_VARS) input[name] = env[name];
  const parsed = z.object(envShape).safeParse(input);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]) as ApiEnvVar;
      const shown = API_ENV_VARS[name]?.secret ? "" : ` (got ${JSON.stringify(input[name])})`;
      problems.push(`${name}: ${issue.message}${shown}`);
    }
  }
  // Required-ness is checked on the raw values too, so one run reports every problem at once.
  const isSet = (name: ApiEnvVar): boolean => (input[name] ?? "").trim() !== "";
  if (!isSet("DATABASE_URL")) {
    if (!isSet("DB_HOST")) problems.push("DB_HOST: is required (or set DATABASE_URL)");
    if (!isSet("DB_USER")) problems.push("DB_USER: is required (or set DATABASE_URL)");
  }
  if (requireRedis && !isSet("REDIS_HOST")) problems.push("REDIS_HOST: is required");
  // IAM tokens are signed for a region, travel as clear-text passwords (TLS only) and, for
  // Redis, name a user and a replication group.
  const iam = (name: ApiEnvVar) => (input[name] ?? "").trim().toLowerCase() === "iam";
  if (iam("DB_AUTH") || (requireRedis && iam("REDIS_AUTH"))) {
    if (!isSet("AWS_REGION")) problems.push("AWS_REGION: is required with IAM authentication");
  }
  if (iam("DB_AUTH") && (input.DB_TLS ?? "").trim().toLowerCase() !== "true")
    problems.push(`DB_TLS: must be true with DB_AUTH=iam (got ${JSON.stringify(input.DB_TLS)})`);
  if (requireRedis && iam("REDIS_AUTH")) {
    if (!isSet("REDIS_USER")) problems.push("REDIS_USER: is required with REDIS_AUTH=iam");
    if (!isSet("REDIS_CACHE_NAME"))
      problems.push("REDIS_CACHE_NAME: is required with REDIS_AUTH=iam");
    if ((input.REDIS_TLS ?? "").trim().toLowerCase() !== "true")
      problems.push(
        `REDIS_TLS: must be true with REDIS_AUTH=iam (got ${JSON.stringify(input.REDIS_TLS)})`,
      );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  const connection = e.DATABASE_URL
    ? parseDatabaseUrl(e.DATABASE_URL, e.DB_NAME, problems)
    : {
        host: e.DB_HOST!,
        port: e.DB_PORT,
        user: e.DB_USER!,
        password: e.DB_PASSWORD ?? "",
        database: e.DB_NAME,
      };
  if (!connection) throw new ConfigError(problems);

  return {
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    db: {
      ...connection,
      tls: e.DB_TLS,
      poolSize: e.DB_POOL_SIZE,
      auth: e.DB_AUTH,
      region: e.AWS_REGION,
      migrationUser: e.DB_MIGRATION_USER ?? connection.user,
      masterSecretArn: e.DB_MASTER_SECRET_ARN,
    },
    redis: {
      host: e.REDIS_HOST ?? "",
      port: e.REDIS_PORT,
      password: e.REDIS_PASSWORD,
      tls: e.REDIS_TLS,
      user: e.REDIS_USER,
      auth: e.REDIS_AUTH,
      cacheName: e.REDIS_CACHE_NAME,
      region: e.AWS_REGION,
    },
    cacheTtlSeconds: e.CACHE_TTL_SECONDS,
    corsOrigin: e.CORS_ORIGIN,
  };
}
