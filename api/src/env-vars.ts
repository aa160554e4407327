/**
 * Every environment variable the API reads, with whether it is secret. This list is the single
 * source of truth shared by `config.ts` (which parses them) and the Helm chart's tests (which check
 * that the chart's ConfigMap and Secret set exactly these names).
 */
export const API_ENV_VARS = {
  PORT: {
    secret: false,
    description: "TCP port the HTTP server listens on (default 4000, as the original).",
  },
  LOG_LEVEL: {
    secret: false,
    description: "pino log level: fatal, error, warn, info, debug, trace or silent (default info).",
  },
  DATABASE_URL: {
    secret: true,
    description: "mysql://user:password@host:port/name; overrides the DB_* variables when set.",
  },
  DB_HOST: { secret: false, description: "MySQL host name." },
  DB_PORT: { secret: false, description: "MySQL port (default 3306)." },
  DB_USER: { secret: false, description: "MySQL user." },
  DB_AUTH: {
    secret: false,
    description:
      "How the API authenticates to MySQL: password (DB_PASSWORD; local, tests) or iam (RDS IAM authentication tokens signed with the pod's AWS role, 15 minutes each; no password exists). Default password.",
  },
  DB_PASSWORD: { secret: true, description: "MySQL password (DB_AUTH=password)." },
  DB_MIGRATION_USER: {
    secret: false,
    description:
      "MySQL user the migration command connects as (may change the schema); the API's own user cannot. Default: DB_USER.",
  },
  DB_MASTER_SECRET_ARN: {
    secret: false,
    description:
      "Secrets Manager secret of the RDS-managed master user, read at run time by the migration command's user provisioning only (never by the API). Empty skips provisioning.",
  },
  DB_NAME: { secret: false, description: "MySQL database name (default webappdb)." },
  DB_TLS: {
    secret: false,
    description:
      "true to connect to MySQL over TLS, verifying the server certificate against the Amazon RDS CA bundle (default false).",
  },
  DB_POOL_SIZE: {
    secret: false,
    description: "Maximum connections in the mysql2 pool (default 10).",
  },
  REDIS_HOST: { secret: false, description: "Redis host name." },
  REDIS_PORT: { secret: false, description: "Redis port (default 6379)." },
  REDIS_AUTH: {
    secret: false,
    description:
      "How the API authenticates to Redis: password (REDIS_PASSWORD, optional REDIS_USER; local, tests) or iam (ElastiCache IAM authentication tokens for REDIS_USER, 15 minutes each). Default password.",
  },
  REDIS_USER: {
    secret: false,
    description:
      "Redis ACL user; with REDIS_AUTH=iam the ElastiCache user ID. Empty for the default user.",
  },
  REDIS_PASSWORD: {
    secret: true,
    description: "Redis password (REDIS_AUTH=password); empty for none.",
  },
  REDIS_CACHE_NAME: {
    secret: false,
    description: "ElastiCache replication group ID the IAM tokens are signed for (REDIS_AUTH=iam).",
  },
  AWS_REGION: {
    secret: false,
    description:
      "AWS region of the database and cache, for signing IAM tokens (DB_AUTH or REDIS_AUTH iam).",
  },
  REDIS_TLS: {
    secret: false,
    description: "true to connect to Redis over TLS (ElastiCache in-transit encryption).",
  },
  CACHE_TTL_SECONDS: {
    secret: false,
    description:
      "TTL of cached reads in seconds (dev 60, staging 180, production 300; default 300).",
  },
  CORS_ORIGIN: {
    secret: false,
    description: "Allowed CORS origin(s), comma-separated, or * (default *).",
  },
} as const;

/** Name of an environment variable the API reads. */
export type ApiEnvVar = keyof typeof API_ENV_VARS;
