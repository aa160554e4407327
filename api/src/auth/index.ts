/**
 * Picks the credential providers from the configuration: a fixed password (local runs, tests,
 * `DB_AUTH`/`REDIS_AUTH` = password) or IAM tokens signed with the pod's role (= iam, in AWS).
 */
import type { DatabaseConfig, RedisConfig } from "../config.js";
import { passwordProvider, type CredentialProvider } from "./credentials.js";
import { elastiCacheTokenProvider } from "./elasticache-token.js";
import { rdsTokenProvider } from "./rds-token.js";

export type { CredentialProvider } from "./credentials.js";
export { passwordProvider, tokenProvider } from "./credentials.js";

/** Credentials of `user` on the database of `config` (the API's user, or the migration user). */
export function databaseCredentials(
  config: DatabaseConfig,
  user: string = config.user,
): CredentialProvider {
  if (config.auth !== "iam") return passwordProvider(() => config.password);
  return rdsTokenProvider({
    host: config.host,
    port: config.port,
    user,
    region: required(config.region, "AWS_REGION"),
  });
}

/** Credentials of the configured Redis user; undefined when Redis needs none. */
export function redisCredentials(config: RedisConfig): CredentialProvider | undefined {
  if (config.auth !== "iam")
    return config.password === undefined ? undefined : passwordProvider(() => config.password!);
  return elastiCacheTokenProvider({
    cacheName: required(config.cacheName, "REDIS_CACHE_NAME"),
    user: required(config.user, "REDIS_USER"),
    region: required(config.region, "AWS_REGION"),
  });
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required with IAM authentication`);
  return value;
}
